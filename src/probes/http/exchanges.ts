/**
 * Turns crawled responses into evidence: one `HttpExchange` per request (headers and URL masked, body only
 * as hash, length and a masked excerpt) and the PII hits per response (redacted samples from detectPii).
 */
import {createHash} from 'node:crypto'

import {detectPii, type PiiHit} from '../../pii/index.js'
import type {CrawledResponse} from './crawl.js'
import {first, evidenceHeaders} from './headers.js'
import {extractTitle} from './forms.js'
import {makeExcerpt, maskText, redactUrl} from './redact.js'
import type {HttpExchange} from './types.js'

export function isText(contentType: string): boolean {
  return contentType === '' || /^(?:text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|javascript|x-www-form-urlencoded))/i.test(contentType)
}

/** PII in a 2xx text body (the only bodies worth reading: error pages rarely carry personal data). */
export function piiOf(r: CrawledResponse): PiiHit[] {
  const {response} = r
  const contentType = mediaType(first(response.headers, 'content-type'))
  if (response.status < 200 || response.status >= 300 || response.body.length === 0 || !isText(contentType)) return []
  return detectPii({text: response.body.toString('utf8'), contentType, location: `${r.url.pathname}`})
}

export function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase()
}

export function toExchange(r: CrawledResponse, pii: readonly PiiHit[]): HttpExchange {
  const {response} = r
  const contentType = mediaType(first(response.headers, 'content-type'))
  const text = isText(contentType) ? response.body.toString('utf8') : ''
  const title = /html/.test(contentType) || /^\s*<(?:!doctype|html)/i.test(text.slice(0, 64)) ? extractTitle(text) : ''
  const exchange: HttpExchange = {
    method: 'GET',
    url: redactUrl(r.url.href),
    source: r.source,
    status: response.status,
    headers: evidenceHeaders(response.headers, r.url.href),
    bodySha256: response.body.length ? createHash('sha256').update(response.body).digest('hex') : '',
    bodyLength: response.wireBytes,
    truncated: response.truncated,
    contentType,
    excerpt: response.body.length ? makeExcerpt(text, contentType, pii.length > 0) : null,
    title: pii.length ? '' : maskText(title),
  }
  if (response.error) exchange.error = {...response.error}
  return exchange
}
