/**
 * Helpers shared by the HTTP checks (families "http" and "pii"): a defensive reader of the `http.surface`
 * payload and the reference constants of standards-mapping.md §3.7 / §2.9 (no [U] clause is cited: RFC 6265
 * is cited without section numbers).
 */
import type {Check, CheckInput, CheckResult} from '../../src/checks/types.js'
import type {Reference} from '../../src/evidence/types.js'
import {
  P_HTTP_SURFACE,
  type AuthChallenge,
  type CookieFacts,
  type HstsFacts,
  type HttpSurfaceData,
  type LoginForm,
  type PiiFinding,
  type SensitiveEndpoint,
} from '../../src/probes/http/types.js'
import {cr, cwe, en, itu, rfc} from '../../src/checks/references.js'

export {P_HTTP_SURFACE}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

function list<T>(v: unknown, ok: (x: Record<string, unknown>) => boolean): T[] {
  return Array.isArray(v) ? (v.filter((x) => isRecord(x) && ok(x)) as T[]) : []
}

/** `http.surface` data; `valid` is false when the payload lacks the fields every probe run sets. */
export function readSurface(input: CheckInput): HttpSurfaceData & {valid: boolean} {
  const raw = input.observations[P_HTTP_SURFACE]?.data
  const d = isRecord(raw) ? raw : {}
  const hsts = isRecord(d.hsts) ? (d.hsts as unknown as HstsFacts) : null
  const sh = isRecord(d.securityHeaders) ? d.securityHeaders : null
  return {
    scheme: d.scheme === 'https' ? 'https' : 'http',
    rootReachable: d.rootReachable === true,
    adminUi: d.adminUi === true,
    loginForms: list<LoginForm>(d.loginForms, (x) => typeof x.action === 'string' && typeof x.hasPassword === 'boolean'),
    authChallenges: list<AuthChallenge>(d.authChallenges, (x) => typeof x.scheme === 'string'),
    redirectsToHttps: d.redirectsToHttps === true,
    httpsRedirectTarget: str(d.httpsRedirectTarget),
    hsts: hsts && typeof hsts.present === 'boolean' ? hsts : null,
    cookies: list<CookieFacts>(d.cookies, (x) => typeof x.name === 'string' && typeof x.secure === 'boolean' && typeof x.httpOnly === 'boolean'),
    server: str(d.server),
    poweredBy: str(d.poweredBy),
    securityHeaders:
      sh && Array.isArray(sh.missing) && Array.isArray(sh.present)
        ? (sh as unknown as NonNullable<HttpSurfaceData['securityHeaders']>)
        : null,
    sensitiveEndpoints: list<SensitiveEndpoint>(d.sensitiveEndpoints, (x) => typeof x.path === 'string'),
    pii: list<PiiFinding>(d.pii, (x) => typeof x.type === 'string' && typeof x.count === 'number'),
    chainVerified: typeof d.chainVerified === 'boolean' ? d.chainVerified : null,
    offDeviceRedirect: typeof d.offDeviceRedirect === 'string' ? d.offDeviceRedirect : null,
    examinedResponses: typeof d.examinedResponses === 'number' ? d.examinedResponses : 0,
    valid: (d.scheme === 'http' || d.scheme === 'https') && typeof d.adminUi === 'boolean' && Array.isArray(d.cookies),
  }
}

export const INVALID = {outcome: 'inconclusive', message: 'The HTTP observation holds no surface data.'} as const

/**
 * For the checks that judge the admin surface (pages, forms, endpoints, cookies): inconclusive when `/` sends
 * the client to another host and nothing on this device answered with content or a challenge — "found no
 * password form" would then describe a page we never saw. The redirect target is named (it is in the evidence).
 */
export function unexaminedSurface(s: HttpSurfaceData): CheckResult | undefined {
  if (!s.offDeviceRedirect || (s.examinedResponses ?? 0) > 0) return undefined
  return {
    outcome: 'inconclusive',
    message: `None of the admin surface could be examined: / redirects off the device to ${s.offDeviceRedirect}, and no path of this service answered with content or an authentication challenge.`,
  }
}

/** Marks a check that judges the admin surface: its pass or not_applicable becomes `unexaminedSurface`'s
 *  inconclusive when none of that surface could be seen; a fail found in what was seen stands. */
export function judgesAdminSurface(check: Check): Check {
  return {
    ...check,
    evaluate(input) {
      const result = check.evaluate(input)
      if (result.outcome !== 'pass' && result.outcome !== 'not_applicable') return result
      const s = readSurface(input)
      return (s.valid && unexaminedSurface(s)) || result
    },
  }
}

/** "a, b, c … and K more". */
export function formatList(items: readonly string[], max = 6): string {
  if (items.length === 0) return '(none)'
  if (items.length <= max) return items.join(', ')
  return `${items.slice(0, max).join(', ')} … and ${items.length - max} more`
}

/** "email ×3 at /api/v1/users (r***@e***.org)" — types, counts, locations and redacted samples only. */
export function describePii(hits: readonly PiiFinding[]): string {
  return formatList(hits.map((h) => `${h.type} ×${h.count} at ${h.location}${h.samples.length ? ` (${h.samples.slice(0, 2).join(', ')})` : ''}`))
}


export const REF = {
  X805_ACCESS: itu('X.805', '§6.1'),
  X805_CONF: itu('X.805', '§6.4'),
  X805_PRIVACY: itu('X.805', '§6.8'),
  X1352_DATA: itu('X.1352', '§8.3'),
  X1352_PLATFORM: itu('X.1352', '§8.4'),
  X1214_SNIFFING: itu('X.1214', 'App. II.6'),
  X1058: itu('X.1058'),
  EN_5_5_1: en('5.5-1'),
  EN_5_5_4: en('5.5-4'),
  EN_5_5_5: en('5.5-5'),
  EN_5_5_7: en('5.5-7'),
  EN_5_6_2: en('5.6-2'),
  EN_5_8_1: en('5.8-1'),
  EN_5_8_2: en('5.8-2'),
  CR_1_1: cr('CR 1.1'),
  CR_1_5: cr('CR 1.5'),
  CR_2_1: cr('CR 2.1'),
  CR_3_1: cr('CR 3.1'),
  CR_3_8: cr('CR 3.8'),
  CR_4_1: cr('CR 4.1'),
  CR_7_6: cr('CR 7.6'),
  cwe,
  RFC6797: rfc('RFC 6797'),
  RFC6265: rfc('RFC 6265'),
  RFC7617: rfc('RFC 7617'),
  RFC9325_HSTS: rfc('RFC 9325', '§3.2'),
} as const satisfies Record<string, Reference | ((n: number) => Reference)>
