/**
 * Algorithm negotiation (RFC 4253 §7.1): for each list, the first name of the client's list that the server's
 * list also holds. The raw client then knows whether it implements what was negotiated.
 */
import {ProbeError} from '../types.js'
import {KEX_METHODS} from './kex-methods.js'
import {CIPHERS, MACS, type DirectionAlgorithms} from './packet-protection.js'
import type {KexinitLists} from './types.js'

export interface Negotiated {
  kex: string
  hostKey: string
  clientToServer: DirectionAlgorithms
  serverToClient: DirectionAlgorithms
  compressionClientToServer: string
  compressionServerToClient: string
}

function pick(client: readonly string[], server: readonly string[], what: string): string {
  const found = client.find((name) => server.includes(name))
  if (found === undefined) throw new ProbeError('no-common-algorithm', `no common ${what}: server offers ${server.join(',') || 'none'}`)
  return found
}

/** Negotiates every list; `client` holds our KEXINIT lists in wire order. */
export function negotiate(client: readonly (readonly string[])[], server: KexinitLists): Negotiated {
  return {
    kex: pick(client[0], server.kex, 'key exchange method'),
    hostKey: pick(client[1], server.hostKey, 'host key algorithm'),
    clientToServer: {cipher: pick(client[2], server.ciphersClientToServer, 'cipher (client to server)'), mac: pick(client[4], server.macsClientToServer, 'MAC (client to server)')},
    serverToClient: {cipher: pick(client[3], server.ciphersServerToClient, 'cipher (server to client)'), mac: pick(client[5], server.macsServerToClient, 'MAC (server to client)')},
    compressionClientToServer: pick(client[6], server.compressionClientToServer, 'compression (client to server)'),
    compressionServerToClient: pick(client[7], server.compressionServerToClient, 'compression (server to client)'),
  }
}

/** Negotiates only what a key exchange needs (kex and host key): enough to obtain a host key. */
export function negotiateKex(client: readonly (readonly string[])[], server: KexinitLists): Pick<Negotiated, 'kex' | 'hostKey'> {
  return {kex: pick(client[0], server.kex, 'key exchange method'), hostKey: pick(client[1], server.hostKey, 'host key algorithm')}
}

/** Throws ProbeError('unsupported-algorithm') when the raw client cannot run what was negotiated. */
export function assertImplemented(n: Partial<Negotiated> & Pick<Negotiated, 'kex'>): void {
  const missing: string[] = []
  if (!KEX_METHODS.has(n.kex)) missing.push(`key exchange ${n.kex}`)
  for (const d of [n.clientToServer, n.serverToClient]) {
    if (!d) continue
    const c = CIPHERS.get(d.cipher)
    if (!c) missing.push(`cipher ${d.cipher}`)
    else if (!c.aead && !MACS.has(d.mac)) missing.push(`MAC ${d.mac}`)
  }
  for (const c of [n.compressionClientToServer, n.compressionServerToClient]) if (c !== undefined && c !== 'none' && c !== 'zlib@openssh.com') missing.push(`compression ${c}`)
  if (missing.length) throw new ProbeError('unsupported-algorithm', `not implemented by the raw SSH client: ${[...new Set(missing)].join(', ')}`)
}
