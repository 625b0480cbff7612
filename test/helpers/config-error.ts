import {expect} from 'vitest'

import {ConfigError} from '../../src/profiles/errors.js'

/** The details of the ConfigError `fn` throws, one per line; the test fails when it throws nothing or another error. */
export function configErrorDetails(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).details.join('\n')
  }
  throw new Error('expected a ConfigError, nothing was thrown')
}
