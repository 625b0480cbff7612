import type {DeviceCheck} from '../../src/checks/types.js'
import {declares} from '../../src/exposure/derive.js'
import {describe, P_DEVICE_EXPOSURE, readExposure} from './exposure-shared.js'
import {formatList, REF} from './shared.js'

export const check: DeviceCheck = {
  id: 'svc.exposed.undeclared',
  title: 'Exposed service not in the declared list',
  family: 'svc',
  scope: 'device',
  description:
    'Compares every service the device exposes (a bare-host scan finds every open TCP port) with the services the ' +
    'manufacturer declared (inventory `services`): an exposed service not declared fails. Without a declaration ' +
    'the exposed services are listed for information (not applicable). A pass needs a complete port discovery ' +
    '(inventory `discover: true` or a bare host).',
  remediation: 'Close every service the product documentation does not list in its factory default state, or document it with its purpose.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: [],
  sources: [],
  reads: [P_DEVICE_EXPOSURE],
  references: [REF.EN_5_6_1, REF.EN_5_6_2, REF.X1352_PLATFORM, REF.CR_7_7],
  evaluate(input) {
    const d = readExposure(input)
    if (!d.valid) return {outcome: 'inconclusive', message: 'The exposure observation lists no services.'}
    const list = formatList(d.exposed.map(describe), 20)
    if (d.declared === null) return {outcome: 'not_applicable', message: `No declared service list (inventory services) to compare with. Exposed: ${list}.`}
    const undeclared = d.exposed.filter((s) => !d.declared!.some((e) => declares(e, s)))
    if (undeclared.length > 0) return {outcome: 'fail', message: `Exposed but not declared: ${formatList(undeclared.map(describe), 20)} (declared: ${formatList(d.declared, 20)}).`}
    // Scanning only the declared services proves nothing about the others: not a gap of the scan, a limit of its scope.
    if (!d.discovered) return {outcome: 'not_applicable', message: `Every service scanned is declared, but no complete port discovery ran (${d.notes[0] ?? ''}); set discover: true in the inventory or scan the bare host.`}
    return {outcome: 'pass', message: `Every exposed TCP service is declared (${list}).`}
  },
}
