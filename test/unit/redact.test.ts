import {describe, expect, it} from 'vitest'

import {redactCommandLine} from '../../src/evidence/redact.js'

describe('redactCommandLine', () => {
  it('masks secret flag values in both spellings and URI user info', () => {
    const line = redactCommandLine(['sg17scan', 'scan', 'http://admin:hunter2@192.0.2.1', '--password', 'hunter2', '--community=private', '--profile', 'x'])
    expect(line).not.toContain('hunter2')
    expect(line).not.toContain('private')
    expect(line).toContain('--password ***')
    expect(line).toContain('--community=***')
    expect(line).toContain('http://***@192.0.2.1')
    expect(line).toContain('--profile x')
  })

  it('quotes arguments with spaces', () => {
    expect(redactCommandLine(['sg17scan', '--device-name', 'my cam'])).toBe("sg17scan --device-name 'my cam'")
  })
})
