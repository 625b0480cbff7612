import {Flags} from '@oclif/core'
import {spawn} from 'node:child_process'
import {writeFileSync} from 'node:fs'

import {startLab} from '../../lab/index.js'
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
  }

  async run() {
    const {flags} = await this.parse(LabStart)
    const existing = readLabState(flags['state-file'])
    if (existing && isRunning(existing.pid)) throw new ConfigError(`a lab is already running (pid ${existing.pid}); run 'sg17scan lab stop' first`)
    if (flags.detach) return this.detach(flags['base-port'], flags['state-file'])

    const lab = await startLab({basePort: flags['base-port']})
    const caFile = flags['state-file'].replace(/\.json$/, '') + '-ca.pem'
    writeFileSync(caFile, lab.caPem)
    writeLabState(flags['state-file'], {pid: process.pid, startedAt: new Date().toISOString(), caFile, devices: lab.devices})
    this.printDevices(lab.devices, caFile)
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

  private async detach(basePort: number, stateFile: string) {
    const runJs = projectPath('bin', 'run.js')
    const child = spawn(process.execPath, [runJs, 'lab', 'start', '--base-port', String(basePort), '--state-file', stateFile], {
      detached: true,
      stdio: 'ignore',
    })
    child.unref()
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline) {
      const state = readLabState(stateFile)
      if (state && state.pid === child.pid) {
        this.printDevices(state.devices, state.caFile)
        this.log(`Lab running in the background (pid ${state.pid}); stop it with 'sg17scan lab stop'.`)
        return state
      }
      if (child.exitCode !== null) break
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error('the lab did not start within 30 s')
  }

  private printDevices(devices: {name: string; description: string; targets: string[]}[], caFile: string) {
    for (const d of devices) this.log(`${d.name.padEnd(16)} ${d.targets.join(' ')}  — ${d.description}`)
    this.log(`Lab CA (pass with --ca): ${caFile}`)
  }
}
