import type {Check} from '../../src/checks/types.js'
import {INVALID, P_HTTP_SURFACE, readSurface, REF} from './shared.js'

export const check: Check = {
  id: 'http.hsts.missing',
  title: 'HTTPS without HSTS (or a short max-age)',
  family: 'http',
  description:
    'Fails when the HTTPS root response has no Strict-Transport-Security header (RFC 6797), when its ' +
    'max-age is missing or unparsable, or when max-age is below the profile threshold minHstsMaxAge. ' +
    'Without HSTS a browser can be downgraded to plain HTTP and the admin session read or changed.',
  remediation: 'Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every HTTPS response.',
  defaultSeverity: 'low',
  intrusive: false,
  protocols: ['https'],
  reads: [P_HTTP_SURFACE],
  references: [REF.X1352_DATA, REF.EN_5_5_1, REF.CR_3_1, REF.cwe(319), REF.RFC6797, REF.RFC9325_HSTS],
  evaluate(input) {
    const s = readSurface(input)
    if (!s.valid) return INVALID
    const h = s.hsts
    if (!h) return {outcome: 'inconclusive', message: 'No HTTPS response to read HSTS from.'}
    const min = input.thresholds.minHstsMaxAge
    if (!h.present) return {outcome: 'fail', message: `${h.url} sends no Strict-Transport-Security header.`}
    if (h.maxAge === null) return {outcome: 'fail', message: `Strict-Transport-Security on ${h.url} has no valid max-age (${JSON.stringify(h.raw)}).`}
    if (h.maxAge < min) return {outcome: 'fail', message: `HSTS max-age ${h.maxAge} s on ${h.url} is below the profile minimum ${min} s.`}
    return {outcome: 'pass', message: `HSTS max-age ${h.maxAge} s (≥ ${min} s)${h.includeSubDomains ? ', includeSubDomains' : ''} on ${h.url}.`}
  },
}
