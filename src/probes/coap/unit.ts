/**
 * CoAP probe (UDP, no DTLS): one confirmable GET /.well-known/core (RFC 6690 resource discovery), retransmitted
 * with the RFC 7252 §4.2 back-off (2 more tries within the step timeout). Read-only: discovery lists, never changes.
 */
import {createSocket} from 'node:dgram'
import {isIP} from 'node:net'

import {type ProbeContext, type ProbeEmission, ProbeError, type ProbeUnit} from '../types.js'
import {coapGet, BLOCK2, linkFormatPaths, parseCoap} from './message.js'
import {coapUnitMeta} from './meta.js'
import {P_COAP_DISCOVERY, type CoapDiscoveryData} from './types.js'

const MAX_RESOURCES = 100

export async function coapRequest(host: string, port: number, segments: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<ReturnType<typeof parseCoap>> {
  const family = isIP(host) === 6 ? 'udp6' : 'udp4'
  const socket = createSocket(family)
  const messageId = Math.floor(Math.random() * 0xffff)
  const request = coapGet(segments, messageId)
  const token = request.subarray(4, 4 + (request[0] & 0x0f))
  try {
    return await new Promise((resolve, reject) => {
      const timers: NodeJS.Timeout[] = []
      const done = (f: () => void) => {
        timers.forEach(clearTimeout)
        signal?.removeEventListener('abort', onAbort)
        f()
      }
      const onAbort = () => done(() => reject(new ProbeError('aborted', 'probe budget exhausted or scan cancelled')))
      signal?.addEventListener('abort', onAbort, {once: true})
      socket.on('error', (e) => done(() => reject(new ProbeError('network', e.message))))
      socket.on('message', (msg) => {
        let m: ReturnType<typeof parseCoap>
        try {
          m = parseCoap(msg)
        } catch {
          return // not CoAP or malformed: keep waiting
        }
        if (!m.token.equals(token) && m.messageId !== messageId) return
        done(() => resolve(m))
      })
      const send = () => socket.send(request, port, host)
      // Three transmissions spread over the step timeout (one lost datagram must not decide the outcome).
      send()
      timers.push(setTimeout(send, timeoutMs / 4), setTimeout(send, timeoutMs / 2))
      timers.push(setTimeout(() => done(() => reject(new ProbeError('timeout', `no CoAP reply within ${timeoutMs} ms (3 transmissions)`))), timeoutMs))
    })
  } finally {
    socket.close()
  }
}

export async function runCoapDiscovery(ctx: Pick<ProbeContext, 'service' | 'timeoutMs' | 'signal'>): Promise<ProbeEmission> {
  try {
    const m = await coapRequest(ctx.service.host, ctx.service.port, ['.well-known', 'core'], ctx.timeoutMs, ctx.signal)
    const block2 = m.options.find((o) => o.number === BLOCK2)
    const more = block2 !== undefined && block2.value.length > 0 && (block2.value[block2.value.length - 1] & 0x08) !== 0
    const data: CoapDiscoveryData = {code: m.code, resources: m.code === '2.05' ? linkFormatPaths(m.payload.toString('utf8')).slice(0, MAX_RESOURCES) : [], truncated: more}
    return {probe: P_COAP_DISCOVERY, data: data as unknown as Record<string, unknown>, artifacts: [{kind: 'coap-reply', encoding: 'hex', content: m.payload.subarray(0, 4096).toString('hex')}]}
  } catch (error) {
    return {probe: P_COAP_DISCOVERY, data: {}, error: {code: error instanceof ProbeError ? error.code : 'internal', message: (error as Error).message}}
  }
}

export const coapProbeUnit: ProbeUnit = {
  ...coapUnitMeta,
  run: async (ctx) => [await runCoapDiscovery(ctx)],
}
