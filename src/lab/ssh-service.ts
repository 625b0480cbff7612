/**
 * An SSH service for lab devices (ssh2 Server). It never lets anyone in: every authentication attempt is
 * rejected with the device's configured method list, which is all a non-intrusive audit looks at
 * (identification string, KEXINIT, host keys, methods offered to `none`).
 */
import type {AddressInfo} from 'node:net'

import ssh2 from 'ssh2'

import type {StartedDevice} from './devices/types.js'
import {formatHostForUri} from './server.js'

const {Server, utils} = ssh2

export interface LabSshConfig {
  /** Text after "SSH-2.0-" in the identification string. */
  ident: string
  hostKeys: Array<{type: 'rsa'; bits: number} | {type: 'ed25519'} | {type: 'ecdsa'; bits: 256 | 384 | 521}>
  algorithms: {kex: string[]; cipher: string[]; hmac: string[]; serverHostKey: string[]}
  /** Methods announced when authentication fails (e.g. ['password'] or ['publickey']). */
  authMethods: string[]
  /** Quirk: the cipher name-lists end in an empty name ("aes128-ctr,aes256-ctr,"), which OpenSSH tolerates. */
  emptyCipherName?: boolean
}

/**
 * An algorithm list that ssh2 validates name by name (every entry is supported) but joins with a trailing
 * comma into the KEXINIT it sends and hashes: the empty-name quirk of some embedded servers, end to end.
 */
class TrailingEmptyName extends Array<string> {
  override join(separator?: string): string {
    return `${super.join(separator)}${separator ?? ','}`
  }
}

function withQuirks(config: LabSshConfig): LabSshConfig['algorithms'] {
  if (!config.emptyCipherName) return config.algorithms
  return {...config.algorithms, cipher: TrailingEmptyName.from(config.algorithms.cipher)}
}

const keyCache = new Map<string, string>()

/** Host keys are generated once per process and purpose (RSA generation is the slow part of a lab start). */
function hostKey(purpose: string, spec: LabSshConfig['hostKeys'][number]): string {
  const id = `${purpose}:${spec.type}:${'bits' in spec ? spec.bits : ''}`
  let pem = keyCache.get(id)
  if (!pem) {
    pem = newHostKey(spec)
    keyCache.set(id, pem)
  }
  return pem
}

/** A fresh host key (OpenSSH PEM) that ssh2 can load. */
export function newHostKey(spec: LabSshConfig['hostKeys'][number]): string {
  // ssh2's keygen drops leading zero bytes of an Ed25519 public key (about 1 key in 256), producing a key its
  // own parser rejects ("Malformed OpenSSH private key"): draw again until it parses.
  for (let attempt = 0; attempt < 16; attempt++) {
    const pair = spec.type === 'ed25519' ? utils.generateKeyPairSync('ed25519') : utils.generateKeyPairSync(spec.type, {bits: spec.bits})
    if (!(utils.parseKey(pair.private) instanceof Error)) return pair.private
  }
  throw new Error(`could not generate a usable ${spec.type} host key`)
}

export async function startLabSsh(purpose: string, config: LabSshConfig, host: string, port: number): Promise<StartedDevice> {
  const clients = new Set<{end(): void}>()
  const server = new Server(
    {
      hostKeys: config.hostKeys.map((k) => hostKey(purpose, k)),
      ident: config.ident,
      algorithms: withQuirks(config) as ConstructorParameters<typeof Server>[0]['algorithms'],
    },
    (client) => {
      clients.add(client)
      client.on('error', () => {})
      client.on('close', () => clients.delete(client))
      client.on('authentication', (ctx) => ctx.reject(config.authMethods as never))
      client.on('ready', () => client.end())
    },
  )
  return listenSsh(server, clients, host, port)
}

/** Listens with an ssh2 Server; stop() ends every client session and closes the listener (once). */
export async function listenSsh(server: InstanceType<typeof ssh2.Server>, clients: ReadonlySet<{end(): void}>, host: string, port: number): Promise<StartedDevice> {
  server.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  let stopped: Promise<void> | undefined
  return {
    targets: [`ssh://${formatHostForUri(host)}:${address.port}`],
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        for (const c of clients) c.end()
        server.close(() => resolve())
      })
      return stopped
    },
  }
}
