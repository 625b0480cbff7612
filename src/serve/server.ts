/**
 * The read-only dashboard server (node:http, no framework). Only GET/HEAD; every page is rendered from the
 * store on request. Bound to 127.0.0.1 by default; any other address requires a token (checked in constant time;
 * given once as ?token=, it is kept in an HttpOnly SameSite=Strict cookie so links work).
 */
import {timingSafeEqual} from 'node:crypto'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import type {Queryable} from '../db/store.js'
import {esc, page} from './html.js'
import {bundlePage, campaignPage, conformityPage, devicePage, evidencePage, devicesPage, filterFromQuery, modelsPage, overviewPage, type Rendered} from './pages.js'

export interface DashboardOptions {
  host?: string
  port?: number
  token?: string
}

export interface RunningDashboard {
  url: string
  server: Server
  close(): Promise<void>
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/

export const isLoopback = (host: string): boolean => LOOPBACK.test(host)

const COOKIE = 'sg17scan_token'

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === COOKIE) return decodeURIComponent(v.join('='))
  }
  return undefined
}

export async function route(q: Queryable, url: URL): Promise<Rendered> {
  const path = url.pathname
  if (path === '/' || path === '/index.html') return overviewPage(q)
  if (path === '/models') return modelsPage(q)
  if (path === '/devices') {
    const pageNo = Math.max(1, Math.min(1_000_000, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1))
    const after = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)~(\d{1,15})$/.exec(url.searchParams.get('after') ?? '')
    return devicesPage(q, filterFromQuery(url.searchParams), pageNo, undefined, after ? {finishedAt: after[1]!, id: Number(after[2])} : undefined)
  }
  const device = /^\/device\/(\d{1,15})$/.exec(path)
  if (device) return devicePage(q, Number(device[1]))
  const campaign = /^\/campaign\/([^/]+)$/.exec(path)
  if (campaign) {
    let name: string
    try {
      name = decodeURIComponent(campaign[1]!)
    } catch {
      return {status: 400, type: 'text/html; charset=utf-8', body: page('Bad address', '<p>The campaign name in the address is not valid percent-encoding.</p>')}
    }
    return campaignPage(q, name)
  }
  const evidence = /^\/evidence\/([^/]+)$/.exec(path)
  if (evidence) return evidencePage(q, evidence[1]!)
  const bundle = /^\/bundle\/([^/]+)\.tar$/.exec(path)
  if (bundle) return bundlePage(q, bundle[1]!)
  if (path === '/conformity') return conformityPage(q, filterFromQuery(url.searchParams), 'html')
  if (path === '/conformity.json') return conformityPage(q, filterFromQuery(url.searchParams), 'json')
  if (path === '/conformity.csv') return conformityPage(q, filterFromQuery(url.searchParams), 'csv')
  return {status: 404, type: 'text/html; charset=utf-8', body: page('Not found', `<p>No page ${esc(path)}.</p>`)}
}

export function startDashboard(q: Queryable, options: DashboardOptions = {}): Promise<RunningDashboard> {
  const host = options.host ?? '127.0.0.1'
  if (!isLoopback(host) && !options.token) throw new Error(`serving on ${host} (not loopback) requires a token`)
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers: Record<string, string> = {
      // No script, no external resource: the pages are documents.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, {...headers, allow: 'GET, HEAD', 'content-type': 'text/plain'}).end('read-only\n')
      return
    }
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid')
    if (options.token) {
      const queryToken = url.searchParams.get('token') ?? undefined
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
      const ok = [queryToken, bearer, cookieToken(req)].some((t) => sameToken(t, options.token!))
      if (!ok) {
        res.writeHead(401, {...headers, 'content-type': 'text/plain'}).end('token required (?token=… or Authorization: Bearer …)\n')
        return
      }
      if (queryToken) {
        // Keep it in a cookie and drop it from the address bar.
        url.searchParams.delete('token')
        res.writeHead(303, {...headers, 'set-cookie': `${COOKIE}=${encodeURIComponent(options.token)}; HttpOnly; SameSite=Strict; Path=/`, location: `${url.pathname}${url.search}`}).end()
        return
      }
    }
    const out = await route(q, url)
    res.writeHead(out.status, {
      ...headers,
      'content-type': out.type,
      ...(out.filename ? {'content-disposition': `attachment; filename="${out.filename}"`} : {}),
      ...(out.headers ?? {}),
    })
    res.end(req.method === 'HEAD' ? undefined : out.body)
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, {'content-type': 'text/plain'})
      res.end(`internal error: ${(error as Error).message}\n`)
    })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 8017, host, () => {
      const address = server.address() as AddressInfo
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address
      resolve({
        url: `http://${shown}:${address.port}/`,
        server,
        close: () => new Promise<void>((done) => server.close(() => done())),
      })
    })
  })
}
