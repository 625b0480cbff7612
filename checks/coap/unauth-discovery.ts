import type {Check} from '../../src/checks/types.js'
import {cwe, en, itu} from '../../src/checks/references.js'
import {P_COAP_DISCOVERY, type CoapDiscoveryData} from '../../src/probes/coap/types.js'

export const check: Check = {
  id: 'coap.unauth.discovery',
  title: 'CoAP resource discovery answered without DTLS',
  family: 'coap',
  description:
    'Fails when GET /.well-known/core (RFC 6690) is answered 2.05 over plain UDP: anyone can list the device\'s ' +
    'resources (and, typically, read or change them) without authentication, and CoAP over plain UDP is an ' +
    'amplification vector. Passes when the request is refused (4.01/4.03).',
  remediation: 'Serve CoAP only over DTLS (coaps, port 5684) with authenticated clients, or OSCORE; disable plain-UDP CoAP.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: ['coap'],
  reads: [P_COAP_DISCOVERY],
  references: [itu('X.805', '§6.2'), itu('X.1352', '§8.1'), en('5.5-1'), en('5.6-1'), cwe(306)],
  evaluate(input) {
    const d = input.observations[P_COAP_DISCOVERY]?.data as Partial<CoapDiscoveryData> | undefined
    if (!d || typeof d.code !== 'string' || !Array.isArray(d.resources)) return {outcome: 'inconclusive', message: 'The CoAP observation holds no reply code.'}
    if (d.code === '2.05') {
      const list = d.resources.slice(0, 10).join(', ')
      return {outcome: 'fail', message: `GET /.well-known/core answered 2.05 over plain UDP, listing ${d.resources.length}${d.truncated ? '+' : ''} resource(s): ${list}${d.resources.length > 10 ? ' …' : ''}.`}
    }
    if (d.code === '4.01' || d.code === '4.03') return {outcome: 'pass', message: `Resource discovery refused without credentials (${d.code}).`}
    return {outcome: 'inconclusive', message: `Resource discovery answered ${d.code}: neither a listing nor a refusal.`}
  },
}
