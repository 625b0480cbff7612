import type {Check} from '../../src/checks/types.js'
import {P_KEX, REF, TLS_SERVICE_PROTOCOLS, formatList, lookupGroup, readKeyExchange} from './shared.js'

export const check: Check = {
  id: 'tls.kex.no-pq-hybrid',
  title: 'No hybrid post-quantum key exchange',
  family: 'tls',
  description:
    'Informational: fails when the server accepts no hybrid or post-quantum key-exchange group (e.g. ' +
    'X25519MLKEM768), so recorded traffic is exposed to a future quantum computer ("harvest now, decrypt later").',
  remediation: 'Enable TLS 1.3 with a hybrid group such as X25519MLKEM768 once the device\'s TLS library supports it.',
  defaultSeverity: 'info',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_KEX],
  references: [REF.X1811_TLS, REF.EN_5_5_3, REF.CR_4_3, REF.BSI_TR_02102_2, REF.MOZILLA],
  evaluate(input) {
    const groups = readKeyExchange(input).groups
    const pq = groups.filter((name) => lookupGroup(name)?.postQuantum ?? /MLKEM|KYBER/i.test(name))
    if (pq.length > 0) {
      return {outcome: 'pass', message: `Post-quantum key exchange accepted: ${formatList(pq)}.`}
    }
    if (groups.length === 0) {
      return {outcome: 'fail', message: 'No key-exchange group was observed, so no hybrid post-quantum group is accepted.'}
    }
    return {
      outcome: 'fail',
      message: `No hybrid post-quantum group accepted; groups accepted: ${formatList(groups)}.`,
    }
  },
}
