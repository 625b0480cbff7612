/**
 * The built-in virtual lab: reference devices listening on 127.0.0.1 (by default) inside this process,
 * for demos, tests and benchmarks. Each device lives in src/lab/devices/<name>.ts.
 */
import type {DeclaredIdentity} from '../evidence/types.js'
import {labCa} from './ca.js'
import {goodGateway, goodGatewaySecondSample} from './devices/good-gateway.js'
import {fragileAdmin} from './devices/fragile-admin.js'
import {legacyCamera, legacyCameraFw2} from './devices/legacy-camera.js'
import {LOGIN_LAB_DEVICES} from './devices/login-devices.js'
import {oldNvr} from './devices/old-nvr.js'
import {portalRouter} from './devices/portal-router.js'
import {quirkySsh} from './devices/quirky-ssh.js'
import {secureAdmin} from './devices/secure-admin.js'
import {authzSensor, openRouter, secureSensor} from './devices/snmp-agent.js'
import {TLS_ZOO_DEVICES} from './devices/tls-zoo.js'
import type {LabDeviceDefinition, StartedDevice} from './devices/types.js'
import {webcamHttp} from './devices/webcam-http.js'
import {LAB_DECLARATIONS} from './declarations.js'
import type {RecordedDeclaration} from '../declaration/types.js'
import {canonicalJson, sha256Hex} from '../evidence/ids.js'

function labDeclaration(name: string, targets: readonly string[]): {declaration?: RecordedDeclaration} {
  const build = LAB_DECLARATIONS[name]
  if (!build) return {}
  const declaration = build(targets)
  return {declaration: {...declaration, source: `lab:${name}`, sha256: sha256Hex(canonicalJson(declaration))}}
}
import {hardenedSensor} from './devices/hardened-sensor.js'
import {smartPlug, smartPlugFw2} from './devices/smart-plug.js'
import {ipCamera} from './devices/ip-camera.js'
import {homeRouter, homeRouterHardened} from './devices/home-router.js'
import {ownLoopbackAddress} from './own-address.js'

export interface LabDevice {
  name: string
  description: string
  /** service URIs, e.g. tls://127.0.0.1:40443 */
  targets: string[]
  declared?: DeclaredIdentity
  /** The manufacturer's declaration of this lab device (src/lab/declarations.ts), where it has one. */
  declaration?: RecordedDeclaration
}

export interface RunningLab {
  devices: LabDevice[]
  /** PEM of the lab CA: pass as --ca to trust lab chains */
  caPem: string
  stop(): Promise<void>
}

/** Every lab device, in registry order. */
export const LAB_DEVICES: readonly LabDeviceDefinition[] = [goodGateway, legacyCamera, openRouter, oldNvr, secureSensor, ...LOGIN_LAB_DEVICES, webcamHttp, secureAdmin, portalRouter, quirkySsh, authzSensor, ...TLS_ZOO_DEVICES, smartPlug, hardenedSensor, ipCamera, homeRouter]

/** Devices started only when named (`devices` option, `lab start --device`): other firmware of a lab device, a
 *  second sample of one. */
export const LAB_VARIANTS: readonly LabDeviceDefinition[] = [legacyCameraFw2, goodGatewaySecondSample, fragileAdmin, smartPlugFw2, homeRouterHardened]

export async function startLab(options?: {host?: string; basePort?: number; devices?: string[]}): Promise<RunningLab> {
  const host = options?.host ?? '127.0.0.1'
  const basePort = options?.basePort ?? 0
  if (!Number.isInteger(basePort) || basePort < 0 || basePort > 65535) {
    throw new Error(`invalid lab basePort ${String(options?.basePort)}`)
  }
  let selected: LabDeviceDefinition[] = [...LAB_DEVICES]
  if (options?.devices !== undefined) {
    const known = [...LAB_DEVICES, ...LAB_VARIANTS]
    const unknown = options.devices.filter((name) => !known.some((device) => device.name === name))
    if (unknown.length > 0) {
      throw new Error(
        `unknown lab device(s): ${unknown.join(', ')} (known: ${known.map((device) => device.name).join(', ')})`,
      )
    }
    selected = known.filter((device) => options.devices?.includes(device.name))
  }
  const caPem = labCa().certPem
  const started: Array<{definition: LabDeviceDefinition; device: StartedDevice}> = []
  const stopAll = async () => {
    await Promise.all(started.map(({device}) => device.stop()))
  }
  try {
    for (const definition of selected) {
      const port = basePort === 0 ? 0 : basePort + definition.portOffset
      if (port > 65535) throw new Error(`lab port ${port} for ${definition.name} is out of range`)
      const deviceHost = definition.ownAddress && host === '127.0.0.1' && basePort === 0 ? ownLoopbackAddress() : host
      started.push({definition, device: await definition.start({host: deviceHost, port})})
    }
  } catch (error) {
    await stopAll()
    throw error
  }
  let stopping: Promise<void> | undefined
  return {
    devices: started.map(({definition, device}) => ({
      name: definition.name,
      description: definition.description,
      targets: [...device.targets],
      ...(definition.declared ? {declared: definition.declared} : {}),
      ...labDeclaration(definition.name, device.targets),
    })),
    caPem,
    stop() {
      stopping ??= stopAll()
      return stopping
    },
  }
}
