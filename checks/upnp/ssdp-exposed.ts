import type {Check} from '../../src/checks/types.js'
import {cwe, en, itu} from '../../src/checks/references.js'
import {P_SSDP_DISCOVERY, type SsdpDiscoveryData} from '../../src/probes/ssdp/types.js'

export const check: Check = {
  id: 'upnp.ssdp.exposed',
  title: 'SSDP answers unicast M-SEARCH',
  family: 'upnp',
  description:
    'Fails when the device answers a unicast M-SEARCH on UDP 1900: SSDP replies are larger than the request (a ' +
    'reflection/amplification vector, CVE-2020-12695 class) and point to a device description that discloses ' +
    'manufacturer, model, serial number and firmware to anyone who asks.',
  remediation: 'Disable UPnP/SSDP where it is not needed; otherwise answer only on the LAN interface, never to off-link sources, and keep serial numbers out of the description.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: ['ssdp'],
  reads: [P_SSDP_DISCOVERY],
  references: [itu('X.805', '§6.4'), en('5.6-1'), en('5.6-2'), cwe(200), cwe(406)],
  evaluate(input) {
    const d = input.observations[P_SSDP_DISCOVERY]?.data as Partial<SsdpDiscoveryData> | undefined
    if (!d || typeof d.replies !== 'number') return {outcome: 'inconclusive', message: 'The SSDP observation holds no reply count.'}
    const desc = d.description
    const shown = desc ? (['manufacturer', 'modelName', 'serialNumber', 'firmware'] as const).filter((k) => desc[k]).join(', ') : ''
    return {
      outcome: 'fail',
      message:
        `M-SEARCH answered with ${d.replies} reply(ies) (~${d.amplification}× the request's bytes)` +
        (desc ? `; the description at ${desc.location} (HTTP ${desc.status}) discloses ${shown || 'no identity field'}${desc.services.length ? `, services ${desc.services.join(', ')}` : ''}.` : '.'),
    }
  },
}
