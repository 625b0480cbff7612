/**
 * An SNMP agent for lab devices (net-snmp Agent on UDP). v1/v2c communities with read-only or read-write access,
 * optional SNMPv3 users, and the RFC 3418 system group (sysDescr … sysLocation; the writable ones accept SETs).
 *
 * net-snmp treats `port: 0` as "unset" (= 161), so an ephemeral port is chosen here: bind a dgram socket to
 * port 0, read the port, close it, then start the agent on that port (a tiny race with other processes, retried).
 */
import {createSocket, type Socket} from 'node:dgram'
import {isIPv6} from 'node:net'

import snmp from 'net-snmp'

import type {StartedDevice} from './devices/types.js'
import {formatHostForUri} from './server.js'

export interface LabSnmpUser {
  name: string
  level: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv'
  authProtocol?: 'md5' | 'sha' | 'sha256'
  authKey?: string
  privProtocol?: 'des' | 'aes' | 'aes256b'
  privKey?: string
  access: 'read' | 'write'
}

export interface LabSnmpConfig {
  /** v1/v2c communities; an empty list = SNMPv3 only. */
  communities: Array<{community: string; access: 'read' | 'write'}>
  users?: LabSnmpUser[]
  system: {
    sysDescr: string
    sysObjectID: string
    sysContact: string
    sysName: string
    sysLocation: string
  }
  /** Hex engine id (default: net-snmp generates one). */
  engineID?: string
  /**
   * Quirk: SNMPv3 users (listed in `users`, usually at noAuthNoPriv so USM lets the request through) whose every
   * request the agent answers with error-status authorizationError — what net-snmp snmpd answers a noAuthNoPriv
   * request of a `rouser admin auth` user (VACM refuses the level). Not access.
   */
  authorizationErrorUsers?: string[]
}

export interface StartedSnmpAgent extends StartedDevice {
  port: number
  /** Current value of a system scalar (tests use it to verify that SETs were restored). */
  getScalar(name: keyof LabSnmpConfig['system']): unknown
}

const SYSTEM_OIDS = {
  sysDescr: '1.3.6.1.2.1.1.1',
  sysObjectID: '1.3.6.1.2.1.1.2',
  sysUpTime: '1.3.6.1.2.1.1.3',
  sysContact: '1.3.6.1.2.1.1.4',
  sysName: '1.3.6.1.2.1.1.5',
  sysLocation: '1.3.6.1.2.1.1.6',
} as const

/** A free UDP port on `host` (bind to 0, read, close). */
export function freeUdpPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4')
    socket.once('error', reject)
    socket.bind(0, host, () => {
      const {port} = socket.address()
      socket.close(() => resolve(port))
    })
  })
}

const AUTH = {md5: snmp.AuthProtocols.md5, sha: snmp.AuthProtocols.sha, sha256: snmp.AuthProtocols.sha256} as const
const PRIV = {des: snmp.PrivProtocols.des, aes: snmp.PrivProtocols.aes, aes256b: snmp.PrivProtocols.aes256b} as const

interface AgentLike {
  getMib(): {
    registerProvider(p: unknown): void
    setScalarValue(name: string, value: unknown): void
    getScalarValue(name: string): unknown
  }
  getAuthorizer(): {
    addCommunity(c: string): void
    addUser(u: unknown): void
    getAccessControlModel(): {setCommunityAccess(c: string, l: number): void; setUserAccess(u: string, l: number): void}
  }
  listener: {sockets: Record<string, Socket>}
  close(cb?: () => void): void
  request(socket: unknown, message: RequestMessage, rinfo: unknown): void
  sendResponse(socket: unknown, rinfo: unknown, message: RequestMessage, pdu: unknown): void
}

/** The parts of net-snmp's agent request message the authorizationError quirk reads (not in @types/net-snmp). */
interface RequestMessage {
  version: number
  user?: {name: string}
  pdu: {varbinds: Array<{oid: string}>; getResponsePduForRequest(): {errorStatus: number; errorIndex: number; varbinds: unknown[]}}
}

/** authorizationError (RFC 3416 error-status 16). */
const AUTHORIZATION_ERROR = 16

function answerAuthorizationError(agent: AgentLike, users: readonly string[]): void {
  const original = agent.request.bind(agent)
  agent.request = (socket, message, rinfo) => {
    if (message.version !== snmp.Version3 || !message.user || !users.includes(message.user.name)) return original(socket, message, rinfo)
    const pdu = message.pdu.getResponsePduForRequest()
    pdu.errorStatus = AUTHORIZATION_ERROR
    pdu.errorIndex = 1
    pdu.varbinds = message.pdu.varbinds.map((v) => ({oid: v.oid, type: snmp.ObjectType.Null, value: null}))
    agent.sendResponse(socket, rinfo, message, pdu)
  }
}

async function startOnce(config: LabSnmpConfig, host: string, port: number): Promise<AgentLike> {
  const options: Record<string, unknown> = {
    port,
    address: host,
    transport: isIPv6(host) ? 'udp6' : 'udp4',
    accessControlModelType: snmp.AccessControlModelType.Simple,
  }
  if (config.engineID) options.engineID = config.engineID
  // The callback receives per-packet errors (unknown community, bad digest…): a lab agent ignores them.
  const agent = snmp.createAgent(options, () => {}) as AgentLike
  const sockets = Object.values(agent.listener.sockets)
  try {
    await Promise.all(
      sockets.map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            s.once('listening', () => resolve())
            s.once('error', reject)
          }),
      ),
    )
  } catch (error) {
    try {
      agent.close()
    } catch {
      // the socket never bound
    }
    throw error
  }
  return agent
}

export async function startLabSnmp(config: LabSnmpConfig, host: string, port: number): Promise<StartedSnmpAgent> {
  let agent: AgentLike | undefined
  let chosen = port
  for (let attempt = 0; agent === undefined; attempt++) {
    chosen = port === 0 ? await freeUdpPort(host) : port
    try {
      agent = await startOnce(config, host, chosen)
    } catch (error) {
      if (port !== 0 || attempt >= 4 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    }
  }
  const started = Date.now()
  const mib = agent.getMib()
  const scalar = (name: string, oid: string, scalarType: number, writable: boolean, handler?: (req: {instanceNode: {value: unknown}; done(): void}) => void) => {
    const provider: Record<string, unknown> = {
      name,
      type: snmp.MibProviderType.Scalar,
      oid,
      scalarType,
      maxAccess: writable ? snmp.MaxAccess['read-write'] : snmp.MaxAccess['read-only'],
    }
    if (handler) provider.handler = handler
    mib.registerProvider(provider)
  }
  const s = config.system
  scalar('sysDescr', SYSTEM_OIDS.sysDescr, snmp.ObjectType.OctetString, false)
  scalar('sysObjectID', SYSTEM_OIDS.sysObjectID, snmp.ObjectType.OID, false)
  scalar('sysUpTime', SYSTEM_OIDS.sysUpTime, snmp.ObjectType.TimeTicks, false, (req) => {
    req.instanceNode.value = Math.floor((Date.now() - started) / 10)
    req.done()
  })
  scalar('sysContact', SYSTEM_OIDS.sysContact, snmp.ObjectType.OctetString, true)
  scalar('sysName', SYSTEM_OIDS.sysName, snmp.ObjectType.OctetString, true)
  scalar('sysLocation', SYSTEM_OIDS.sysLocation, snmp.ObjectType.OctetString, true)
  mib.setScalarValue('sysDescr', s.sysDescr)
  mib.setScalarValue('sysObjectID', s.sysObjectID)
  mib.setScalarValue('sysUpTime', 0)
  mib.setScalarValue('sysContact', s.sysContact)
  mib.setScalarValue('sysName', s.sysName)
  mib.setScalarValue('sysLocation', s.sysLocation)

  const authorizer = agent.getAuthorizer()
  const acm = authorizer.getAccessControlModel()
  for (const {community, access} of config.communities) {
    authorizer.addCommunity(community)
    acm.setCommunityAccess(community, access === 'write' ? snmp.AccessLevel.ReadWrite : snmp.AccessLevel.ReadOnly)
  }
  for (const u of config.users ?? []) {
    const user: Record<string, unknown> = {name: u.name, level: snmp.SecurityLevel[u.level]}
    if (u.level !== 'noAuthNoPriv') {
      user.authProtocol = AUTH[u.authProtocol ?? 'sha']
      user.authKey = u.authKey
    }
    if (u.level === 'authPriv') {
      user.privProtocol = PRIV[u.privProtocol ?? 'aes']
      user.privKey = u.privKey
    }
    authorizer.addUser(user)
    acm.setUserAccess(u.name, u.access === 'write' ? snmp.AccessLevel.ReadWrite : snmp.AccessLevel.ReadOnly)
  }

  if (config.authorizationErrorUsers?.length) answerAuthorizationError(agent, config.authorizationErrorUsers)

  let stopped: Promise<void> | undefined
  const running = agent
  return {
    port: chosen,
    targets: [`snmp://${formatHostForUri(host)}:${chosen}`],
    getScalar: (name) => mib.getScalarValue(name),
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        try {
          running.close(() => resolve())
        } catch {
          resolve()
        }
      })
      return stopped
    },
  }
}
