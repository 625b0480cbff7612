import type {Check} from '../../src/checks/types.js'
import {describePii, formatList, INVALID, P_HTTP_SURFACE, readSurface, REF, judgesAdminSurface} from './shared.js'

export const check: Check = judgesAdminSurface({
  id: 'http.unauth.sensitive-endpoint',
  title: 'Sensitive data served without authentication',
  family: 'http',
  description:
    'Fails when, without any credentials, a well-known device API or configuration path answers 2xx with ' +
    'its own content (not the soft-404 or login page), or any response carries personal data. Such ' +
    'endpoints leak configuration, user lists or personal data to anyone who can reach the device. ' +
    'Critical when such a response names credential fields (password, psk, secret, community …).',
  remediation:
    'Require authentication for every API and configuration resource; remove backup and export files from ' +
    'the web root; return 401/403 (or redirect to the login page) for unauthenticated requests.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: ['http', 'https'],
  reads: [P_HTTP_SURFACE],
  conditions: {
    'credential-fields': {description: 'an unauthenticated response names credential fields (password, psk, secret, community …)', defaultSeverity: 'critical'},
  },
  references: [REF.X805_ACCESS, REF.X1352_DATA, REF.EN_5_5_4, REF.EN_5_5_5, REF.EN_5_6_2, REF.CR_2_1, REF.CR_1_1, REF.cwe(306), REF.cwe(359)],
  evaluate(input) {
    const s = readSurface(input)
    if (!s.valid) return INVALID
    const endpoints = s.sensitiveEndpoints
    if (endpoints.length === 0 && s.pii.length === 0) {
      return {outcome: 'pass', message: 'No well-known sensitive path answered without authentication and no response carried personal data.'}
    }
    // "Critical if credentials" (standards-mapping §3.7): an endpoint whose body names credential fields.
    const credentials = endpoints.filter((e) => e.credentialFields === true)
    const parts: string[] = []
    if (endpoints.length) parts.push(`${endpoints.length} sensitive path(s) answered without credentials: ${formatList(endpoints.map((e) => `${e.path} (${e.status}, ${e.kind}: ${e.why})`), 4)}`)
    if (s.pii.length) parts.push(`personal data without authentication: ${describePii(s.pii)}`)
    if (credentials.length) parts.push(`credential fields in ${formatList(credentials.map((e) => e.path), 4)}`)
    return {outcome: 'fail', message: `${parts.join('; ')}.`, ...(credentials.length ? {condition: 'credential-fields'} : {})}
  },
})
