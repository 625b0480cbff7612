import type {Check} from '../../src/checks/types.js'
import {P_SUITES, REF, TLS_SERVICE_PROTOCOLS, evaluateSuitePredicate} from './shared.js'

export const check: Check = {
  id: 'tls.cipher.anon',
  title: 'Anonymous (unauthenticated) cipher suite accepted',
  family: 'tls',
  description:
    'Fails when the service accepts an anonymous key-exchange suite (DH_anon, ECDH_anon, aNULL): the ' +
    'server is not authenticated, so any man in the middle can impersonate the device.',
  remediation: 'Remove all anonymous (aNULL / *_anon_*) cipher suites from the server\'s cipher list.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_SUITES],
  references: [
    REF.X805_AUTH,
    REF.X1352_AUTH,
    REF.EN_5_5_1,
    REF.CR_3_1_RE1,
    REF.cwe(306),
    REF.NIST_800_52,
    REF.BSI_TR_02102_2,
  ],
  evaluate(input) {
    return evaluateSuitePredicate(input, (info) => info.anonymous || info.auth.toLowerCase() === 'anon', 'anonymous')
  },
}
