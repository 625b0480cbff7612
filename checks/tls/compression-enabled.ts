import type {Check} from '../../src/checks/types.js'
import {P_KEX, REF, TLS_SERVICE_PROTOCOLS, formatList, hasArrayField, readKeyExchange} from './shared.js'

export const check: Check = {
  id: 'tls.compression-enabled',
  title: 'TLS-level compression enabled',
  family: 'tls',
  description:
    'Fails when the server accepts a TLS compression method other than null: compressed record lengths ' +
    'leak secrets such as session cookies (CRIME).',
  remediation: 'Disable TLS compression in the TLS library configuration.',
  defaultSeverity: 'low',
  intrusive: false,
  protocols: TLS_SERVICE_PROTOCOLS,
  reads: [P_KEX],
  references: [
    REF.X1352_DATA,
    REF.EN_5_5_1,
    REF.CR_4_1,
    REF.cwe(200),
    REF.RFC9325_COMPRESSION,
    REF.BSI_TR_02102_2,
  ],
  evaluate(input) {
    // Positive evidence only: the probe always records the list of accepted non-null methods, even empty.
    if (!hasArrayField(input, P_KEX, 'compression')) {
      return {outcome: 'inconclusive', message: 'The key-exchange observation does not say which compression methods were offered.'}
    }
    const compression = readKeyExchange(input).compression
    if (compression.length > 0) {
      return {outcome: 'fail', message: `TLS compression accepted: ${formatList(compression)}.`}
    }
    return {outcome: 'pass', message: 'Only the null compression method is accepted.'}
  },
}
