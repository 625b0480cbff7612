import type {Check} from '../../src/checks/types.js'
import {MQTT_SERVICE_PROTOCOLS, P_MQTT_SUBSCRIPTION, readSubscription, REF} from './shared.js'

export const check: Check = {
  id: 'mqtt.subscription.exposed',
  title: 'Anonymous MQTT client receives the broker\'s messages',
  family: 'mqtt',
  description:
    'Intrusive: an anonymous client subscribes to "#" and "$SYS/#" for a few seconds (message and byte caps). ' +
    'Fails when messages arrive, critical when the personal-data detectors find personal data in them. Only types ' +
    'and counts are recorded, never a payload; topics are masked. Not applicable when anonymous CONNECT is refused.',
  remediation: 'Require authentication and restrict each client to its own topics with ACLs; never publish personal data on shared or retained topics.',
  defaultSeverity: 'high',
  intrusive: true,
  protocols: MQTT_SERVICE_PROTOCOLS,
  reads: [P_MQTT_SUBSCRIPTION],
  references: [REF.X805_AUTH, REF.X805_CONF, REF.X1352_DATA, REF.EN_5_6_1, REF.EN_5_8_2, REF.cwe(306), REF.cwe(359)],
  evaluate(input) {
    const d = readSubscription(input)
    if (!d.valid) return {outcome: 'inconclusive', message: 'The subscription observation holds no message counts.'}
    if (!d.connected) return {outcome: 'not_applicable', message: d.reason ?? 'Anonymous CONNECT was refused: nothing could be subscribed.'}
    const pii = d.pii.map((p) => `${p.type} ×${p.count}`).join(', ')
    if (d.messages > 0) {
      return {
        outcome: 'fail',
        severity: d.pii.length > 0 ? 'critical' : undefined,
        message:
          `Within ${d.windowMs} ms an anonymous subscriber to ${d.filters.join(' and ')} received ${d.messages} message(s) on ${d.topics} topic(s) ` +
          `(${d.retained} retained, ${d.sysTopics} under $SYS)${d.capped ? ', stopped at the cap' : ''}` +
          (d.pii.length > 0 ? `; personal data in payloads: ${pii} (topics ${d.piiTopics.join(', ')}).` : '; no personal data detected in payloads.'),
      }
    }
    return {outcome: 'pass', message: `An anonymous subscriber to ${d.filters.join(' and ')} received nothing within ${d.windowMs} ms${d.reason ? ` (${d.reason})` : ''}.`}
  },
}
