import {Command, ux} from '@oclif/core'

import {ConfigError} from '../profiles/errors.js'

/** Shared behaviour: configuration problems exit 2 with the message naming the file/field/target. */
export abstract class BaseCommand extends Command {
  protected async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    if (error instanceof ConfigError) {
      this.logToStderr(`Error: ${error.message}`)
      this.exit(2)
    }
    return super.catch(error)
  }

  /**
   * --json output. oclif's logJson colours the text by matching regular expressions at its start and slicing it
   * token by token, even when no theme colours anything: quadratic in the size, ~30 ms for a 32 KB single-service
   * report (issue 16), far more for a batch. Without a JSON theme its output is exactly JSON.stringify(json, null, 2),
   * which is what this prints; a configured theme still goes through oclif.
   */
  logJson(json: unknown): void {
    if (this.config.theme?.json) return super.logJson(json)
    ux.stdout(JSON.stringify(json, null, 2))
  }
}
