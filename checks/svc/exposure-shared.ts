/** Reader of the derived `device.exposure` observation for the svc.exposed.* device checks. Pure. */
import type {DeviceCheckInput} from '../../src/checks/types.js'
import {type ExposedService, type ExposureData, P_DEVICE_EXPOSURE} from '../../src/exposure/types.js'

export {P_DEVICE_EXPOSURE}

export function readExposure(input: DeviceCheckInput): (ExposureData & {valid: true}) | {valid: false} {
  const d = input.observations[P_DEVICE_EXPOSURE]?.data as Partial<ExposureData> | undefined
  if (!d || typeof d.discovered !== 'boolean' || !Array.isArray(d.exposed)) return {valid: false}
  return {discovered: d.discovered, declared: Array.isArray(d.declared) ? d.declared : null, exposed: d.exposed, notes: Array.isArray(d.notes) ? d.notes : [], valid: true}
}

export function describe(s: ExposedService): string {
  return `${s.protocol} ${s.transport}/${s.port}`
}
