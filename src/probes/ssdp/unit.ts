/**
 * SSDP probe (UDP 1900): one unicast M-SEARCH ssdp:all (sent three times within the step timeout; replies
 * collected until it ends), then the device description at the first LOCATION on the same host fetched with one
 * bounded GET. When the description names an Internet Gateway Device, one read-only SOAP action
 * (GetExternalIPAddress) is sent to its WAN*Connection control URL on the same host (observation upnp.igd);
 * never AddPortMapping or any action that changes state.
 */
import {createSocket} from 'node:dgram'
import {isIP} from 'node:net'

import {request} from 'undici'

import {type ProbeContext, type ProbeEmission, ProbeError, type ProbeUnit} from '../types.js'
import {M_SEARCH, parseDescription, parseSsdpReply} from './parse.js'
import {ssdpUnitMeta} from './meta.js'
import {deviceTypes, IGD_DEVICE, parseSoapAnswer, READ_ONLY_ACTION, soapRequest, upnpServices, WAN_CONNECTION} from './igd.js'
import {P_SSDP_DISCOVERY, P_UPNP_IGD, type SsdpDiscoveryData, type UpnpIgdData} from './types.js'

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

async function readBody(body: AsyncIterable<unknown>, max: number): Promise<string> {
  let text = ''
  for await (const chunk of body) {
    text += (chunk as Buffer).toString('utf8')
    if (text.length > max) break
  }
  return text
}

const sameHost = (url: URL, host: string) => url.hostname.replace(/^\[|\]$/g, '') === host
const maskUrl = (url: URL) => `${url.origin}${url.pathname}${url.search ? '?…' : ''}`

/** The IGD observation from a fetched description: one read-only action on the first WAN*Connection service. */
export async function igdControl(ctx: Pick<ProbeContext, 'service' | 'timeoutMs' | 'signal'>, xml: string, base: URL): Promise<ProbeEmission> {
  const services = upnpServices(xml)
  const types = deviceTypes(xml)
  const wan = services.filter((s) => WAN_CONNECTION.test(s.serviceType))
  const data: UpnpIgdData = {igd: types.some((t) => IGD_DEVICE.test(t)) || wan.length > 0, deviceTypes: [...new Set(types)], wanServices: [...new Set(wan.map((s) => s.serviceType))]}
  const emission: ProbeEmission = {probe: P_UPNP_IGD, data: data as unknown as Record<string, unknown>}
  if (!data.igd) return emission
  const target = wan[0]
  if (!target) {
    emission.partial = {code: 'no-control-url', message: 'an Internet Gateway Device without a WANIPConnection/WANPPPConnection service in its description', missing: ['control']}
    return emission
  }
  const urlBase = /<URLBase>([^<]{1,1024})<\/URLBase>/.exec(xml)?.[1]?.trim()
  let url: URL
  try {
    url = new URL(target.controlURL, urlBase ?? base)
  } catch {
    emission.partial = {code: 'bad-control-url', message: 'the control URL is not a URL', missing: ['control']}
    return emission
  }
  // Only the device itself is asked: a control URL on another host is recorded, never posted to.
  if (!sameHost(url, ctx.service.host) || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    emission.partial = {code: 'foreign-control-url', message: `the control URL ${maskUrl(url)} is not on ${ctx.service.host}: not asked`, missing: ['control']}
    return emission
  }
  const {body, soapAction} = soapRequest(target.serviceType, READ_ONLY_ACTION)
  const control: UpnpIgdData['control'] = {serviceType: target.serviceType, controlUrl: maskUrl(url), action: READ_ONLY_ACTION, status: 0, responded: false, arguments: []}
  data.control = control
  try {
    const r = await request(url, {
      method: 'POST',
      headers: {'content-type': 'text/xml; charset="utf-8"', soapaction: soapAction, 'user-agent': 'sg17scan'},
      body,
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
      signal: ctx.signal,
    })
    control.status = r.statusCode
    Object.assign(control, parseSoapAnswer(await readBody(r.body, 64 * 1024), READ_ONLY_ACTION))
    emission.artifacts = [{kind: 'upnp-soap-request', encoding: 'utf8', content: body}]
  } catch (error) {
    control.failure = `${error instanceof ProbeError ? error.code : 'http'}: ${(error as Error).message}`.slice(0, 200)
    emission.partial = {code: 'control-failed', message: `the ${READ_ONLY_ACTION} POST failed: ${(error as Error).message}`, missing: ['control']}
  }
  return emission
}

/** The ssdp.discovery emission alone. */
export async function runSsdpDiscovery(ctx: Pick<ProbeContext, 'service' | 'timeoutMs' | 'signal'>): Promise<ProbeEmission> {
  return (await runSsdp(ctx))[0]
}

/** ssdp.discovery and upnp.igd. */
export async function runSsdp(ctx: Pick<ProbeContext, 'service' | 'timeoutMs' | 'signal'>): Promise<[ProbeEmission, ProbeEmission]> {
  const noDescription = (code: string, message: string): ProbeEmission => ({probe: P_UPNP_IGD, data: {}, error: {code, message}})
  const {replies, bytes, sent} = await mSearch(ctx.service.host, ctx.service.port, Math.min(ctx.timeoutMs, 3000), ctx.signal)
  if (replies.length === 0) {
    const error = {code: 'timeout', message: `no reply to M-SEARCH within ${Math.min(ctx.timeoutMs, 3000)} ms (3 transmissions)`}
    return [{probe: P_SSDP_DISCOVERY, data: {}, error}, {probe: P_UPNP_IGD, data: {}, error}]
  }
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
  let igd = noDescription('no-description', location ? `the description at LOCATION was not fetched` : 'no LOCATION in the M-SEARCH replies')
  if (location) {
    let url: URL | undefined
    try {
      url = new URL(location)
    } catch {
      emission.partial = {code: 'bad-location', message: 'LOCATION is not a URL', missing: ['description']}
    }
    // Only the device itself is asked: a LOCATION on another host is recorded, never fetched.
    if (url && (url.protocol === 'http:' || url.protocol === 'https:') && sameHost(url, ctx.service.host)) {
      const masked = maskUrl(url)
      try {
        const r = await request(url, {method: 'GET', headersTimeout: ctx.timeoutMs, bodyTimeout: ctx.timeoutMs, signal: ctx.signal})
        const body = await readBody(r.body, MAX_DESCRIPTION)
        data.description = parseDescription(body, masked, r.statusCode)
        if (r.statusCode === 200) igd = await igdControl(ctx, body, url)
        else igd = noDescription('no-description', `the description fetch answered HTTP ${r.statusCode}`)
      } catch (error) {
        data.description = {location: masked, status: 0, services: []}
        emission.partial = {code: error instanceof ProbeError ? error.code : 'http', message: `description fetch failed: ${(error as Error).message}`, missing: ['description']}
        igd = noDescription('no-description', `description fetch failed: ${(error as Error).message}`)
      }
    } else if (url) {
      igd = noDescription('foreign-location', 'the LOCATION is not on the device: its description was not fetched')
    }
  }
  return [emission, igd]
}

export const ssdpProbeUnit: ProbeUnit = {
  ...ssdpUnitMeta,
  run: async (ctx) => runSsdp(ctx),
}
