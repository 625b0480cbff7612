import {Flags} from '@oclif/core'
import {spawn} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {resolve} from 'node:path'

import {LAB_DEVICES, LAB_VARIANTS, startLab} from '../../lab/index.js'
import {DEFAULT_STATE_FILE, isRunning, readLabState, removeLabState, writeLabState} from '../../lab/state.js'
import {ConfigError} from '../../profiles/errors.js'
import {projectPath} from '../../util/paths.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class LabStart extends BaseCommand {
  static summary = 'Start the virtual lab of reference devices on 127.0.0.1 and print their service URIs'
  static description = 'Runs in the foreground until Ctrl-C, or in the background with --detach (stop it with `lab stop`).'
  static examples = ['<%= config.bin %> lab start', '<%= config.bin %> lab start --detach --base-port 40443']
  static enableJsonFlag = true
  static flags = {
    'base-port': Flags.integer({description: 'first port; each device gets the next one (0 = ephemeral)', default: 40443, min: 0, max: 65000}),
    detach: Flags.boolean({description: 'run in the background and return once the lab is up', default: false}),
    'state-file': Flags.string({description: 'where the running lab records its pid and URIs', default: DEFAULT_STATE_FILE}),
    devices: Flags.integer({description: 'serve a fleet of N devices instead of the reference devices: lightweight TLS and/or SSH devices (good and weak, with planted clones and identity mismatches) mixed with the IoT reference devices (smart-plug, smart-plug-fw2, hardened-sensor, ip-camera, a quarter of the fleet, each on a loopback address of its own)', min: 1, max: 20000}),
    device: Flags.string({description: 'start only this reference device (repeatable); also names devices outside the default lab, e.g. legacy-camera-fw2 (the camera after a firmware update)', multiple: true}),
    seed: Flags.integer({description: 'fleet composition seed (same seed, same fleet)', default: 1}),
    'write-inventory': Flags.string({description: 'with --devices: write the fleet as an inventory CSV for `scan --inventory`'}),
  }

  async run() {
    const {flags} = await this.parse(LabStart)
    const existing = readLabState(flags['state-file'])
    if (existing && isRunning(existing.pid)) throw new ConfigError(`a lab is already running (pid ${existing.pid}); run 'sg17scan lab stop' first`)
    if (flags['write-inventory'] && !flags.devices) throw new ConfigError('--write-inventory writes a fleet: add --devices N')
    if (flags.device && flags.devices) throw new ConfigError('--device picks reference devices; --devices N serves a fleet: give one')
    const unknown = (flags.device ?? []).filter((name) => ![...LAB_DEVICES, ...LAB_VARIANTS].some((d) => d.name === name))
    if (unknown.length > 0) throw new ConfigError(`--device ${unknown.join(', ')}: unknown (known: ${[...LAB_DEVICES, ...LAB_VARIANTS].map((d) => d.name).join(', ')})`)
    if (flags.detach) return this.detach(flags)

    const lab = flags.devices ? await this.startFleet(flags.devices, flags.seed, flags['write-inventory']) : await this.startReference(flags['base-port'], flags.device)
    const caFile = flags['state-file'].replace(/\.json$/, '') + '-ca.pem'
    writeFileSync(caFile, lab.caPem)
    writeLabState(flags['state-file'], {pid: process.pid, startedAt: new Date().toISOString(), caFile, devices: lab.devices})
    if (flags.devices) this.log(`Fleet of ${lab.devices.length} devices running (seed ${flags.seed})${flags['write-inventory'] ? `; inventory: ${flags['write-inventory']}` : ''}; lab CA: ${caFile}`)
    else this.printDevices(lab.devices, caFile)
    this.log('Lab running; Ctrl-C or `sg17scan lab stop` ends it.')
    await new Promise<void>((resolve) => {
      const stop = () => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await lab.stop()
    removeLabState(flags['state-file'])
    return {devices: lab.devices, caFile}
  }

  private startReference(basePort: number, devices: string[] | undefined) {
    return startLab({basePort, ...(devices ? {devices} : {})})
  }

  private async startFleet(count: number, seed: number, inventory?: string) {
    // Loaded only for fleets.
    const {fleetInventoryCsv, startFleet} = await import('../../lab/fleet/index.js')
    const fleet = await startFleet({count, seed, iot: true})
    if (inventory) writeFileSync(inventory, fleetInventoryCsv(fleet.devices))
    return {
      caPem: fleet.caPem,
      devices: fleet.devices.map((d) => ({name: d.id, description: d.tags.join(' '), targets: d.targets})),
      stop: () => fleet.stop(),
    }
  }

  private async detach(flags: {'base-port': number; 'state-file': string; devices?: number; device?: string[]; seed: number; 'write-inventory'?: string}) {
    const stateFile = flags['state-file']
    const runJs = projectPath('bin', 'run.js')
    const fleetArgs = flags.devices
      ? ['--devices', String(flags.devices), '--seed', String(flags.seed), ...(flags['write-inventory'] ? ['--write-inventory', resolve(flags['write-inventory'])] : [])]
      : (flags.device ?? []).flatMap((name) => ['--device', name])
    const child = spawn(process.execPath, [runJs, 'lab', 'start', '--base-port', String(flags['base-port']), '--state-file', stateFile, ...fleetArgs], {
      detached: true,
      stdio: 'ignore',
    })
    child.unref()
    const deadline = Date.now() + 120_000
    while (Date.now() < deadline) {
      const state = readStateQuietly(stateFile)
      if (state && state.pid === child.pid) {
        if (flags.devices) this.log(`Fleet of ${state.devices.length} devices; lab CA (pass with --ca): ${state.caFile}`)
        else this.printDevices(state.devices, state.caFile)
        this.log(`Lab running in the background (pid ${state.pid}); stop it with 'sg17scan lab stop'.`)
        return state
      }
      if (child.exitCode !== null) {
        // Its output went nowhere (detached): say what usually stops it instead of waiting out the deadline.
        throw new Error(`the lab process exited with code ${child.exitCode} before it was ready (a port from --base-port ${flags['base-port']} in use? run 'sg17scan lab start' without --detach to see why)`)
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error('the lab did not start within 120 s')
  }

  private printDevices(devices: {name: string; description: string; targets: string[]}[], caFile: string) {
    for (const d of devices) this.log(`${d.name.padEnd(16)} ${d.targets.join(' ')}  — ${d.description}`)
    this.log(`Lab CA (pass with --ca): ${caFile}`)
  }
}

/** The state file may be half-written while the lab process writes it: not ready yet. */
function readStateQuietly(file: string) {
  try {
    return readLabState(file)
  } catch {
    return undefined
  }
}
