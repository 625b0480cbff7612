import type {Check} from '../../src/checks/types.js'
import {describePii, INVALID, P_HTTP_SURFACE, readSurface, REF, judgesAdminSurface} from '../http/shared.js'

/**
 * Decision: this check judges *transport* — personal data in responses received over plain HTTP (every
 * request of the probe is unauthenticated, so these hits were also served to anyone). Personal data served
 * without authentication over HTTPS is judged by http.unauth.sensitive-endpoint instead.
 */
export const check: Check = judgesAdminSurface({
  id: 'pii.http.cleartext-personal-data',
  title: 'Personal data served over plain HTTP',
  family: 'pii',
  description:
    'Fails when a response received over plain HTTP (without credentials) carries personal data: e-mail ' +
    'addresses, phone numbers, IMEIs, MAC addresses, GPS coordinates or personal names. Anyone on the path ' +
    'can read it; the finding lists types, counts and locations with redacted samples only.',
  remediation:
    'Serve the device API over HTTPS only and require authentication for every resource that returns ' +
    'personal data; return only the personal data a function needs.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: ['http'],
  reads: [P_HTTP_SURFACE],
  conditions: {
    'location-or-device-id': {description: 'the personal data includes GPS coordinates or IMEIs', defaultSeverity: 'high'},
  },
  references: [REF.X805_PRIVACY, REF.X805_CONF, REF.X1352_DATA, REF.X1058, REF.EN_5_8_1, REF.EN_5_8_2, REF.CR_4_1, REF.cwe(319), REF.cwe(359)],
  evaluate(input) {
    const s = readSurface(input)
    if (!s.valid) return INVALID
    const hits = s.pii.filter((h) => h.urlScheme === 'http')
    if (hits.length === 0) return {outcome: 'pass', message: 'No personal data detected in the responses received over HTTP.'}
    // Location (GPS) and device identifiers tied to a person (IMEI) are the sensitive kinds here.
    const sensitive = hits.some((h) => h.type === 'gps' || h.type === 'imei')
    const urls = [...new Set(hits.map((h) => h.url))]
    return {
      outcome: 'fail',
      message: `Personal data served in cleartext without authentication on ${urls.length} URL(s): ${describePii(hits)}.`,
      ...(sensitive ? {condition: 'location-or-device-id'} : {}),
    }
  },
})
