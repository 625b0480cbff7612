import type {BatchCheck} from '../../src/checks/types.js'
import {REF} from './shared.js'
import {sharedKeyResults} from './shared-keys.js'

export const check: BatchCheck = {
  id: 'tls.cert.shared-device-key',
  title: 'TLS key unique per device',
  family: 'identity',
  scope: 'batch',
  description:
    'Fails when several devices of a batch present the same TLS key (the same SubjectPublicKeyInfo, whatever ' +
    'certificate carries it). A key shared by every unit of a product is extractable from one unit or the ' +
    'firmware image and lets an attacker impersonate or decrypt all of them.',
  remediation: 'Generate the TLS key on each device (first boot or manufacturing), never ship one in the firmware image.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: [],
  reads: ['device.identity'],
  sources: ['tls.certificates'],
  references: [REF.X1352_CRYPTO, REF.EN_5_4_4, REF.EN_5_4_3, REF.CR_1_5, REF.CR_4_3, REF.cwe(321), REF.cwe(798)],
  evaluate({digests}) {
    return sharedKeyResults(digests, (d) => d.tlsKeys, {key: 'TLS key', label: (k) => `SPKI SHA-256 ${k}`})
  },
}
