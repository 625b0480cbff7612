import type {Check} from '../../src/checks/types.js'
import {formatList, INVALID, P_HTTP_SURFACE, readSurface, REF, judgesAdminSurface} from '../http/shared.js'

export const check: Check = judgesAdminSurface({
  id: 'pii.http.cleartext-credentials',
  title: 'Credentials sent over plain HTTP',
  family: 'pii',
  description:
    'Fails when a password can cross the network unencrypted: a login form with a password input served over ' +
    'plain HTTP, a form (on any page) whose action posts to a plain-HTTP URL, or a Basic or Digest authentication ' +
    'challenge on plain HTTP (Basic sends the password base64-encoded; Digest exposes a hash open to offline guessing).',
  remediation:
    'Serve the admin UI over HTTPS only, redirect plain HTTP to HTTPS before any login page, and make every ' +
    'login form post to an HTTPS action.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: ['http', 'https'],
  reads: [P_HTTP_SURFACE],
  conditions: {
    'digest-only': {description: 'the only cleartext exposure is a Digest challenge (a hash open to offline guessing, not the password)', defaultSeverity: 'medium'},
  },
  references: [REF.X805_CONF, REF.X1352_DATA, REF.X1214_SNIFFING, REF.EN_5_5_7, REF.EN_5_5_1, REF.CR_1_5, REF.CR_4_1, REF.cwe(523), REF.cwe(319), REF.RFC7617],
  evaluate(input) {
    const s = readSurface(input)
    if (!s.valid) return INVALID
    const problems: string[] = []
    const password = s.loginForms.filter((f) => f.hasPassword)
    for (const f of password) {
      if (f.pageScheme === 'http') problems.push(`login form with a password input on ${f.pageUrl} (posts to ${f.action})`)
      else if (f.actionScheme === 'http') problems.push(`login form on ${f.pageUrl} posts to ${f.action}`)
    }
    const challenges = s.authChallenges.filter((c) => c.urlScheme === 'http' && (c.scheme === 'Basic' || c.scheme === 'Digest'))
    for (const c of challenges) problems.push(`${c.scheme} authentication challenge${c.realm ? ` (realm ${JSON.stringify(c.realm)})` : ''} on ${c.url}`)
    if (problems.length === 0) {
      const what = password.length ? `${password.length} login form(s), all served and posting over HTTPS` : 'no password form and no Basic/Digest challenge over HTTP'
      return {outcome: 'pass', message: `Found ${what}.`}
    }
    // Digest alone does not reveal the password itself: one level lower.
    const onlyDigest = password.every((f) => f.pageScheme !== 'http' && f.actionScheme !== 'http') && challenges.every((c) => c.scheme === 'Digest')
    return {
      outcome: 'fail',
      message: `Credentials can travel in cleartext: ${formatList(problems)}.`,
      ...(onlyDigest ? {condition: 'digest-only'} : {}),
    }
  },
})
