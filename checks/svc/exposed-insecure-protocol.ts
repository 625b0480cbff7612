import type {DeviceCheck} from '../../src/checks/types.js'
import {describe, P_DEVICE_EXPOSURE, readExposure} from './exposure-shared.js'
import {formatList, REF} from './shared.js'

export const check: DeviceCheck = {
  id: 'svc.exposed.insecure-protocol',
  title: 'Cleartext management or data protocol exposed',
  family: 'svc',
  scope: 'device',
  description:
    'One device-level view of cleartext protocols: fails when the device exposes Telnet, FTP without AUTH TLS, ' +
    'TFTP, MQTT or RTSP without TLS, or answers SNMPv1/v2c. Passes only after a complete port discovery found none; ' +
    'with only given services scanned and none of them cleartext it is not applicable.',
  remediation: 'Disable the cleartext protocols; offer management and data over SSH, TLS (MQTT 8883, RTSPS, HTTPS) or SNMPv3 authPriv.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: [],
  sources: ['snmp.communities', 'ftp.session'],
  reads: [P_DEVICE_EXPOSURE],
  references: [REF.X805_CONF, REF.X1352_DATA, REF.EN_5_5_1, REF.EN_5_6_1, REF.CR_4_1, REF.cwe(319)],
  evaluate(input) {
    const d = readExposure(input)
    if (!d.valid) return {outcome: 'inconclusive', message: 'The exposure observation lists no services.'}
    const insecure = d.exposed.filter((s) => s.insecure)
    if (insecure.length > 0) return {outcome: 'fail', message: `Cleartext protocols exposed: ${formatList(insecure.map((s) => `${describe(s)} (${s.insecure})`), 20)}.`}
    if (!d.discovered) return {outcome: 'not_applicable', message: `None of the scanned services is a cleartext protocol, but no complete port discovery ran (${formatList(d.exposed.map(describe), 20)}).`}
    return {outcome: 'pass', message: `No cleartext management or data protocol among the exposed services (${formatList(d.exposed.map(describe), 20)}; TCP: every port, UDP: the ports the profile's udpPorts name).`}
  },
}
