/**
 * Bounded discovery on one origin: GET `/`, follow same-origin redirects (at most MAX_REDIRECTS hops per
 * chain, loops stop) and same-origin links of HTML pages to depth MAX_DEPTH within PAGE_BUDGET requests, then
 * the well-known device paths (no redirects followed) and one baseline path that should not exist (to tell a
 * real endpoint from a soft-404 page). Off-origin redirects and links are recorded, never followed. Links
 * that look state-changing (logout, reboot, reset …) and static assets are never requested. The whole crawl
 * stops at a deadline of CRAWL_DEADLINE_FACTOR × timeoutMs; what was not requested is counted as skipped.
 */
import type {Client} from 'undici'

import type {ProbeContext} from '../types.js'
import {get, type HttpResponse} from './client.js'
import {extractLinks} from './forms.js'
import type {ExchangeSource} from './types.js'
import {wellKnownPaths, type WellKnownPath} from './well-known.js'

export const MAX_DEPTH = 2
export const PAGE_BUDGET = 20
export const MAX_REDIRECTS = 5
export const CRAWL_DEADLINE_FACTOR = 8
const MAX_OFF_ORIGIN = 50
/** A path no device serves: its answer is the device's "not found" (or soft-404) page. */
export const BASELINE_PATH = '/sg17scan-baseline-nonexistent-path'

const UNSAFE_LINK = /(?:log_?out|sign_?out|reboot|restart|reset|factory|shutdown|delete|remove|upgrade|firmware|format|apply|save|commit|wipe|erase)/i
const STATIC_ASSET = /\.(?:png|jpe?g|gif|ico|svg|webp|bmp|css|woff2?|ttf|eot|otf|mp4|mjpe?g|avi|mov|m3u8|ts|wav|mp3|zip|gz|bin|img|pdf)$/i

export interface CrawledResponse {
  /** Full URL requested (internal only; evidence uses the masked form). */
  url: URL
  source: ExchangeSource
  response: HttpResponse
  wellKnown?: WellKnownPath
}

export interface CrawlResult {
  responses: CrawledResponse[]
  skipped: number
  /** Off-origin redirect targets and links (full URLs; masked when written). */
  offOrigin: string[]
  /** Why `/` could not be read (no response, limit, redirect loop …). */
  rootError?: {code: string; message: string}
  /** The 2xx response `/` led to through same-origin redirects, if any. */
  root?: CrawledResponse
  /** First response to `/` (before any redirect). */
  rootFirst?: CrawledResponse
  /** Where `/`'s redirect chain left this origin (full URL), if it did. */
  rootLeftOrigin?: string
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308
}

function isHtml(r: HttpResponse): boolean {
  return /html/i.test(r.headers.get('content-type')?.[0] ?? '') || /^\s*<(?:!doctype|html)/i.test(r.body.subarray(0, 64).toString('latin1'))
}

export async function crawl(client: Client, ctx: ProbeContext, origin: string): Promise<CrawlResult> {
  const deadline = Date.now() + CRAWL_DEADLINE_FACTOR * ctx.timeoutMs
  const result: CrawlResult = {responses: [], skipped: 0, offOrigin: []}
  const visited = new Set<string>()
  let requests = 0
  const canRequest = () => Date.now() < deadline && !ctx.signal.aborted

  const fetchOne = async (url: URL, source: ExchangeSource, wellKnown?: WellKnownPath): Promise<CrawledResponse> => {
    requests++
    visited.add(url.href)
    const response = await get(client, `${url.pathname}${url.search}`, ctx)
    const crawled: CrawledResponse = {url, source, response, ...(wellKnown ? {wellKnown} : {})}
    result.responses.push(crawled)
    return crawled
  }

  /** Follows a same-origin redirect chain from `start`; returns the final response (or the failing one). */
  const followChain = async (start: URL, source: ExchangeSource): Promise<{last: CrawledResponse; loop?: string} | undefined> => {
    let url = start
    let r = await fetchOne(url, source)
    for (let hops = 0; isRedirect(r.response.status) && !r.response.error; hops++) {
      const location = r.response.headers.get('location')?.[0]
      if (!location) return {last: r}
      let next: URL
      try {
        next = new URL(location, url)
      } catch {
        return {last: r}
      }
      if (next.origin !== origin) {
        result.offOrigin.push(next.href)
        if (source === 'root') result.rootLeftOrigin = next.href
        return {last: r}
      }
      if (visited.has(next.href) || hops + 1 > MAX_REDIRECTS) {
        return {last: r, loop: visited.has(next.href) ? `redirect loop back to ${next.pathname}` : `more than ${MAX_REDIRECTS} redirects`}
      }
      if (!canRequest() || requests >= PAGE_BUDGET) {
        result.skipped++
        return {last: r}
      }
      url = next
      r = await fetchOne(url, 'redirect')
    }
    return {last: r}
  }

  const rootUrl = new URL('/', origin)
  const rootChain = await followChain(rootUrl, 'root')
  result.rootFirst = result.responses[0]
  const last = rootChain?.last
  if (rootChain?.loop) result.rootError = {code: 'redirect-loop', message: `/ does not settle: ${rootChain.loop}`}
  else if (last?.response.error) result.rootError = last.response.error
  else if (last && last.response.status === 0) result.rootError = {code: 'bad-response', message: '/ returned no status'}
  if (result.rootError) return result
  if (last && last.response.status >= 200 && last.response.status < 300) result.root = last

  // Breadth-first over same-origin links of HTML pages.
  let frontier: CrawledResponse[] = result.root ? [result.root] : []
  for (let depth = 1; depth <= MAX_DEPTH && frontier.length; depth++) {
    const next: CrawledResponse[] = []
    for (const page of frontier) {
      if (!isHtml(page.response) || page.response.status < 200 || page.response.status >= 300) continue
      for (const link of extractLinks(page.response.body.toString('utf8'), page.url.href)) {
        const url = new URL(link)
        if (url.origin !== origin) {
          if (!result.offOrigin.includes(url.href) && result.offOrigin.length < MAX_OFF_ORIGIN) result.offOrigin.push(url.href)
          continue
        }
        if (visited.has(url.href) || UNSAFE_LINK.test(url.pathname + url.search) || STATIC_ASSET.test(url.pathname)) continue
        if (!canRequest() || requests >= PAGE_BUDGET) {
          result.skipped++
          visited.add(url.href)
          continue
        }
        const chain = await followChain(url, 'link')
        if (chain && !chain.loop && chain.last.response.status >= 200 && chain.last.response.status < 300) next.push(chain.last)
      }
    }
    frontier = next
  }

  // Well-known paths: one GET each, no redirects followed; then the baseline.
  for (const wk of wellKnownPaths()) {
    const url = new URL(wk.path, origin)
    if (visited.has(url.href)) {
      const seen = result.responses.find((r) => r.url.href === url.href)
      if (seen && !seen.wellKnown) seen.wellKnown = wk
      continue
    }
    if (!canRequest()) {
      result.skipped++
      continue
    }
    await fetchOne(url, 'well-known', wk)
  }
  if (canRequest()) await fetchOne(new URL(BASELINE_PATH, origin), 'baseline')
  else result.skipped++
  return result
}
