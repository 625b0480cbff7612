import {Command} from '@oclif/core'

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
}
