/**
 * A small MQTT broker for lab devices (3.1.1 and 5.0, built on mqtt-packet): CONNECT with optional password
 * check, SUBSCRIBE answered with the device's retained messages (MQTT wildcards, `#` not matching `$SYS`),
 * PINGREQ, DISCONNECT. Client PUBLISHes are acknowledged and dropped: a scan never changes what the device holds.
 */
import type {Socket} from 'node:net'

import mqttPacket from 'mqtt-packet'

export interface RetainedMessage {
  topic: string
  payload: string
}

export interface LabBrokerOptions {
  retained: readonly RetainedMessage[]
  /** When set, CONNECT must carry this username and password. */
  credentials?: {username: string; password: string}
}

/** A client sending more than this without a complete packet is dropped. */
const MAX_PENDING_BYTES = 64 * 1024

/** MQTT topic filter match (3.1.1 §4.7): `+` one level, `#` the rest; wildcards never match `$` topics first. */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('#') || filter.startsWith('+'))) return false
  const f = filter.split('/')
  const t = topic.split('/')
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true
    if (i >= t.length) return false
    if (f[i] !== '+' && f[i] !== t[i]) return false
  }
  return f.length === t.length
}

export function brokerSession(socket: Socket, o: LabBrokerOptions): void {
  const parser = mqttPacket.parser({protocolVersion: 4}) as ReturnType<typeof mqttPacket.parser> & {settings: {protocolVersion: number}}
  let version = 4
  let connected = false
  let pending = 0
  const send = (packet: mqttPacket.Packet) => {
    if (!socket.destroyed) socket.write(mqttPacket.generate(packet, {protocolVersion: version}))
  }
  parser.on('error', () => socket.destroy())
  parser.on('packet', (packet: mqttPacket.Packet) => {
    pending = 0
    if (!connected && packet.cmd !== 'connect') return void socket.destroy()
    switch (packet.cmd) {
      case 'connect': {
        if (connected) return void socket.destroy()
        version = packet.protocolVersion ?? 4
        parser.settings.protocolVersion = version
        const c = o.credentials
        const given = packet.username !== undefined
        const ok = !c || (packet.username === c.username && packet.password?.toString() === c.password)
        if (!ok) {
          // 3.1.1: 5 not authorized / 4 bad user name or password; 5.0: 0x87 / 0x86.
          if (version === 5) send({cmd: 'connack', sessionPresent: false, reasonCode: given ? 0x86 : 0x87})
          else send({cmd: 'connack', sessionPresent: false, returnCode: given ? 4 : 5})
          socket.end()
          return
        }
        connected = true
        send(version === 5 ? {cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: {maximumQoS: 1, retainAvailable: true}} : {cmd: 'connack', sessionPresent: false, returnCode: 0})
        return
      }
      case 'subscribe': {
        const granted = packet.subscriptions.map(() => 0)
        send({cmd: 'suback', messageId: packet.messageId, granted} as mqttPacket.ISubackPacket)
        for (const m of o.retained) {
          if (packet.subscriptions.some((s) => topicMatches(s.topic, m.topic))) send({cmd: 'publish', topic: m.topic, payload: Buffer.from(m.payload), qos: 0, retain: true, dup: false})
        }
        return
      }
      case 'unsubscribe':
        send({cmd: 'unsuback', messageId: packet.messageId} as mqttPacket.IUnsubackPacket)
        return
      case 'publish':
        if (packet.qos === 1) send({cmd: 'puback', messageId: packet.messageId})
        return
      case 'pingreq':
        send({cmd: 'pingresp'})
        return
      case 'disconnect':
        socket.end()
        return
      default:
        socket.destroy()
    }
  })
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.length
    if (pending > MAX_PENDING_BYTES) return void socket.destroy()
    parser.parse(chunk)
  })
}
