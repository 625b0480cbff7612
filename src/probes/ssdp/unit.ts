/**
 * SSDP probe (UDP 1900): one unicast M-SEARCH ssdp:all (sent three times within the step timeout; replies
 * collected until it ends), then the device description at the first LOCATION on the same host fetched with one
 * bounded GET. Read-only: no SOAP action is sent.
 */
import {createSocket} from 'node:dgram'
import {isIP} from 'node:net'

import {request} from 'undici'

import {type ProbeContext, type ProbeEmission, ProbeError, type ProbeUnit} from '../types.js'
import {M_SEARCH, parseDescription, parseSsdpReply} from './parse.js'
import {ssdpUnitMeta} from './meta.js'
import {P_SSDP_DISCOVERY, type SsdpDiscoveryData} from './types.js'

const MAX_REPLIES = 64
const MAX_DESCRIPTION = 256 * 1024

/** Sends M-SEARCH to host:port and returns the replies' headers (and byte count) received within `waitMs`. */
export async function mSearch(host: string, port: number, waitMs: number, signal?: AbortSignal): Promise<{replies: Array<Record<string, string>>; bytes: number; sent: number}> {
  const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4')
  const req = M_SEARCH(host, port)
  const replies: Array<Record<string, string>> = []
  let bytes = 0
  try {
    await new Promise<void>((resolve) => {
      const timers: NodeJS.Timeout[] = []
      const end = () => {
        timers.forEach(clearTimeout)
        signal?.removeEventListener('abort', end)
        resolve()
      }
      signal?.addEventListener('abort', end, {once: true})
      socket.on('error', end)
      socket.on('message', (msg, from) => {
        if (from.address !== host && !(host === 'localhost')) return
        const h = parseSsdpReply(msg)
        if (!h || replies.length >= MAX_REPLIES) return
        bytes += msg.length
        replies.push(h)
      })
      const send = () => socket.send(req, port, host)
      send()
      timers.push(setTimeout(send, waitMs / 4), setTimeout(send, waitMs / 2), setTimeout(end, waitMs))
    })
  } finally {
    socket.close()
  }
  return {replies, bytes, sent: req.length}
}

export async function runSsdpDiscovery(ctx: Pick<ProbeContext, 'service' | 'timeoutMs' | 'signal'>): Promise<ProbeEmission> {
  const {replies, bytes, sent} = await mSearch(ctx.service.host, ctx.service.port, Math.min(ctx.timeoutMs, 3000), ctx.signal)
  if (replies.length === 0) return {probe: P_SSDP_DISCOVERY, data: {}, error: {code: 'timeout', message: `no reply to M-SEARCH within ${Math.min(ctx.timeoutMs, 3000)} ms (3 transmissions)`}}
  // Replies to the 3 transmissions repeat the same set: count one transmission's worth.
  const distinct = new Map(replies.map((r) => [`${r.st ?? ''}|${r.usn ?? ''}`, r]))
  const data: SsdpDiscoveryData = {
    replies: distinct.size,
    amplification: Math.round((bytes / replies.length) * distinct.size / sent * 10) / 10,
    types: [...new Set([...distinct.values()].map((r) => r.st ?? '').filter((t) => t.startsWith('urn:') || t === 'upnp:rootdevice'))].sort(),
  }
  const server = [...distinct.values()].find((r) => r.server)?.server
  if (server) data.server = server.slice(0, 160)
  const emission: ProbeEmission = {probe: P_SSDP_DISCOVERY, data: data as unknown as Record<string, unknown>}
  const location = [...distinct.values()].map((r) => r.location).find(Boolean)
  if (location) {
    let url: URL | undefined
    try {
      url = new URL(location)
    } catch {
      emission.partial = {code: 'bad-location', message: 'LOCATION is not a URL', missing: ['description']}
    }
    // Only the device itself is asked: a LOCATION on another host is recorded, never fetched.
    if (url && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.replace(/^\[|\]$/g, '') === ctx.service.host) {
      const masked = `${url.origin}${url.pathname}${url.search ? '?…' : ''}`
      try {
        const r = await request(url, {method: 'GET', headersTimeout: ctx.timeoutMs, bodyTimeout: ctx.timeoutMs, signal: ctx.signal})
        let body = ''
        for await (const chunk of r.body) {
          body += (chunk as Buffer).toString('utf8')
          if (body.length > MAX_DESCRIPTION) break
        }
        data.description = parseDescription(body, masked, r.statusCode)
      } catch (error) {
        data.description = {location: masked, status: 0, services: []}
        emission.partial = {code: error instanceof ProbeError ? error.code : 'http', message: `description fetch failed: ${(error as Error).message}`, missing: ['description']}
      }
    }
  }
  return emission
}

export const ssdpProbeUnit: ProbeUnit = {
  ...ssdpUnitMeta,
  run: async (ctx) => [await runSsdpDiscovery(ctx)],
}
