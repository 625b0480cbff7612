import {Flags} from '@oclif/core'

import {DEFAULT_STATE_FILE, isRunning, readLabState, removeLabState} from '../../lab/state.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class LabStop extends BaseCommand {
  static summary = 'Stop a lab started with `lab start`'
  static enableJsonFlag = true
  static flags = {
    'state-file': Flags.string({description: 'state file of the running lab', default: DEFAULT_STATE_FILE}),
  }

  async run() {
    const {flags} = await this.parse(LabStop)
    const state = readLabState(flags['state-file'])
    if (!state || !isRunning(state.pid)) {
      removeLabState(flags['state-file'])
      this.log('No lab is running.')
      return {stopped: false}
    }
    process.kill(state.pid, 'SIGTERM')
    const deadline = Date.now() + 10_000
    while (isRunning(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    if (isRunning(state.pid)) process.kill(state.pid, 'SIGKILL')
    removeLabState(flags['state-file'])
    this.log(`Lab (pid ${state.pid}) stopped.`)
    return {stopped: true, pid: state.pid}
  }
}
