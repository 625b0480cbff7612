/**
 * Observation payloads of the HTTP admin-surface probe. Nothing here carries a cookie value, a credential, a
 * query-string value or a personal value found on the device: only names, flags, hashes, lengths and
 * redacted samples.
 */
import type {PiiType} from '../../pii/index.js'

export const P_HTTP_EXCHANGES = 'http.exchanges'
export const P_HTTP_SURFACE = 'http.surface'

export type HttpScheme = 'http' | 'https'

/** Why a request was made. */
export type ExchangeSource = 'root' | 'link' | 'redirect' | 'well-known' | 'baseline'

/** One request/response as evidence (see redact.ts for what is masked). */
export interface HttpExchange {
  method: 'GET'
  /** Absolute URL, query values masked. */
  url: string
  source: ExchangeSource
  /** HTTP status; 0 when no response head arrived. */
  status: number
  /** Lower-cased header names; secret values redacted. Repeated headers are joined by "\n". */
  headers: Record<string, string>
  /** SHA-256 (hex) of the body bytes kept (after decoding), '' when none. */
  bodySha256: string
  /** Bytes received on the wire (before decoding), up to the read limit. */
  bodyLength: number
  /** The body was cut at a limit (wire or decoded). */
  truncated: boolean
  contentType: string
  /** ≤ 200 characters, digits and e-mail addresses masked, JSON string values elided; null when personal
   *  data was found in the body or it is not text. */
  excerpt: string | null
  /** HTML <title>, masked like the excerpt; '' when none. */
  title: string
  /** What went wrong for this exchange (timeout, limit, parser error …). */
  error?: {code: string; message: string}
}

export interface HttpExchangesData {
  exchanges: HttpExchange[]
  /** Requests not made because the page budget or the crawl deadline ran out. */
  skipped: number
  /** Redirects or links to another origin that were not followed (URLs query-masked). */
  offOrigin: string[]
}

export interface LoginForm {
  /** Page that carries the form. */
  pageUrl: string
  pageScheme: HttpScheme
  /** Absolute action URL (query masked). */
  action: string
  actionScheme: string
  method: string
  hasPassword: boolean
}

export interface AuthChallenge {
  url: string
  scheme: 'Basic' | 'Digest' | string
  realm: string
  urlScheme: HttpScheme
}

export interface CookieFacts {
  name: string
  /** URL that set it. */
  url: string
  urlScheme: HttpScheme
  secure: boolean
  httpOnly: boolean
  /** Value of the SameSite attribute as sent, '' when absent. */
  sameSite: string
  /** The name looks like a session identifier (nmap http-cookie-flags patterns plus sid/auth/token). */
  session: boolean
}

export interface HstsFacts {
  url: string
  present: boolean
  /** Seconds; null when absent or unparsable. */
  maxAge: number | null
  includeSubDomains: boolean
  raw: string
}

export const SECURITY_HEADERS = ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy'] as const
export type SecurityHeader = (typeof SECURITY_HEADERS)[number]

export interface SensitiveEndpoint {
  url: string
  path: string
  status: number
  kind: string
  why: string
  contentType: string
  /** The body names credential-like fields (password, passwd, psk, secret, community …) with a value. */
  credentialFields: boolean
}

export interface PiiFinding {
  url: string
  urlScheme: HttpScheme
  type: PiiType
  count: number
  location: string
  /** Redacted samples only. */
  samples: string[]
}

export interface HttpSurfaceData {
  scheme: HttpScheme
  /** `/` answered with a 2xx page (after same-origin redirects). */
  rootReachable: boolean
  /** The root (or any page) looks like an admin UI: a login form, an auth challenge or an admin path. */
  adminUi: boolean
  loginForms: LoginForm[]
  authChallenges: AuthChallenge[]
  /** For http: `/` answers with a redirect to https:// on the same host. */
  redirectsToHttps: boolean
  /** Location of that redirect (query masked), '' when none. */
  httpsRedirectTarget: string
  /** HSTS on the https root response (null on http). */
  hsts: HstsFacts | null
  cookies: CookieFacts[]
  server: string
  poweredBy: string
  /** Security headers present / missing on the root page (2xx HTML). */
  securityHeaders: {url: string; present: SecurityHeader[]; missing: SecurityHeader[]} | null
  sensitiveEndpoints: SensitiveEndpoint[]
  pii: PiiFinding[]
  /** `/` redirects to another host (query-masked URL): what the device serves there was not examined. Null when
   *  `/` stays on the device (a redirect to https on the same host is not off-device). */
  offDeviceRedirect?: string | null
  /** Responses on this origin that showed the admin surface (2xx or 401), the soft-404 baseline excluded: 0 with
   *  an off-device redirect means none of the admin surface could be examined. */
  examinedResponses?: number
  /** https only: the server's chain verified against the system roots plus --ca (null on http or when no
   *  TLS connection completed). The TLS checks judge the chain; this only tells how the pages were fetched. */
  chainVerified: boolean | null
}
