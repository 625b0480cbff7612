import type {Check, CheckResult} from '../../src/checks/types.js'
import {classifyAlgorithm, sshPolicyDefaults} from '../../src/probes/ssh/algorithms.js'
import {
  P_SSH_HOSTKEYS,
  P_SSH_KEXINIT,
  REF,
  SSH_SERVICE_PROTOCOLS,
  atLeast,
  formatList,
  plural,
  readHostKeys,
  readKexinit,
  unique,
} from './shared.js'

const RSA_SHA2 = ['rsa-sha2-256', 'rsa-sha2-512']
/** Host-key algorithms that sign with SHA-1 over an RSA key (RFC 8332 §3; OpenSSH disabled them in 8.8). */
const RSA_SHA1 = ['ssh-rsa', 'ssh-rsa-cert-v01@openssh.com', 'x509v3-sign-rsa']

export const check: Check = {
  id: 'ssh.hostkey.weak',
  title: 'Weak SSH host key',
  family: 'ssh',
  description:
    'Fails when the server offers a host-key algorithm classified as failing in data/ssh/algorithms.json ' +
    '(ssh-dss and DSA certificates), presents an RSA host key below the profile minimum (thresholds.minRsaBits), ' +
    'offers RSA host-key signatures with SHA-1 (ssh-rsa and its certificate/X.509 forms; OpenSSH disabled them by ' +
    'default in 8.8, ssh-audit fails them) unless the profile sets thresholds.allowSshRsaSha1 — and even then when ' +
    'the RSA key is offered only with ssh-rsa, without rsa-sha2-256/512 (RFC 8332).',
  remediation:
    'Remove DSA host keys, use RSA keys of at least the profile minimum (3072 bits recommended) or Ed25519/ECDSA ' +
    'keys, enable rsa-sha2-512/rsa-sha2-256 signatures for RSA keys and stop offering ssh-rsa (OpenSSH: ' +
    'HostKeyAlgorithms without ssh-rsa, the default since 8.8).',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: SSH_SERVICE_PROTOCOLS,
  reads: [P_SSH_KEXINIT, P_SSH_HOSTKEYS],
  references: [
    REF.X1352_AUTH,
    REF.X1352_CRYPTO,
    REF.EN_5_5_1,
    REF.CR_1_9,
    REF.cwe(326),
    REF.RFC8332,
    REF.NIST_800_131A,
    REF.BSI_TR_02102_4,
  ],
  evaluate(input): CheckResult {
    const offered = unique(readKexinit(input).hostKey)
    const keys = readHostKeys(input)
    if (offered.length === 0 && keys.length === 0) {
      return {outcome: 'not_applicable', message: 'The server offered no host-key algorithm.'}
    }
    const problems: string[] = []
    let severity = input.severity
    // 1. Algorithms that fail by themselves (ssh-dss …).
    const failing = offered.map((a) => classifyAlgorithm('hostKey', a)).filter((c) => c.level === 'fail')
    for (const c of failing) problems.push(`${c.name} offered (${c.reason})`)
    // 2. RSA key size: one RSA key usually serves several algorithms; report it once.
    const minBits = input.thresholds.minRsaBits
    const critical = sshPolicyDefaults().criticalRsaBits
    const seen = new Set<string>()
    for (const k of keys) {
      if (k.error || k.type !== 'ssh-rsa' || k.bits === undefined) continue
      const id = k.fingerprint ?? `${k.bits}`
      if (seen.has(id)) continue
      seen.add(id)
      if (k.bits < minBits) {
        problems.push(`RSA host key of ${k.bits} bits (below ${minBits})${k.fingerprint ? ` ${k.fingerprint}` : ''}`)
        if (k.bits < critical) severity = atLeast(severity, 'high')
      }
    }
    // 3. SHA-1 RSA signatures: an RSA key offered only with them always fails; offered beside SHA-2 they fail
    //    unless the profile allows them.
    const sha1 = offered.filter((a) => RSA_SHA1.includes(a))
    if (offered.includes('ssh-rsa') && !offered.some((a) => RSA_SHA2.includes(a))) {
      problems.push('the RSA host key is offered only with ssh-rsa (SHA-1) signatures, without rsa-sha2-256/512')
    } else if (sha1.length > 0 && input.thresholds.allowSshRsaSha1 !== true) {
      problems.push(`${formatList(sha1)} offered (RSA signatures with SHA-1; the profile does not allow them: thresholds.allowSshRsaSha1)`)
    }
    const failed = keys.filter((k) => k.error)
    const fetchedNote = failed.length
      ? ` Not examined: ${formatList(failed.map((k) => `${k.algorithm} (${k.error})`))}.`
      : ''
    const warn = offered.map((a) => classifyAlgorithm('hostKey', a)).filter((c) => c.level === 'warn')
    const warnNote =
      warn.length && problems.length === 0 ? ` Discouraged (not failing): ${formatList(warn.map((c) => c.name))}.` : ''
    if (problems.length) {
      const result: CheckResult = {outcome: 'fail', message: `${problems.join('; ')}.${fetchedNote}`}
      if (severity !== input.severity) result.severity = severity
      return result
    }
    const examined = keys.filter((k) => !k.error)
    if (examined.length === 0 && keys.length > 0) {
      return {
        outcome: 'inconclusive',
        message: `No host key could be obtained to check its size.${fetchedNote}`,
      }
    }
    const described = unique(examined.map((k) => `${k.type ?? k.algorithm}${k.bits ? ` ${k.bits} bits` : ''}`))
    return {
      outcome: 'pass',
      message: `No weak host key among ${plural(offered.length, 'offered algorithm')} (keys: ${formatList(described)}).${warnNote}${fetchedNote}`,
    }
  },
}
