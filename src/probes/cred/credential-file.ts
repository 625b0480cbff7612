import {readFileSync} from 'node:fs'
import {basename} from 'node:path'

import {ConfigError} from '../../profiles/errors.js'
import type {LabCredential} from './types.js'

/**
 * A lab's own credentials (`--credentials FILE`): `user:pass` lines in the format of SecLists'
 * ssh-betterdefaultpasslist.txt (split on the first `:`; the password may be empty or contain `:`). Blank lines
 * and `#` comments are skipped; a line without `:` is a ConfigError naming file:line. Ids are
 * `lab:<basename>:<line>` — never derived from the secret.
 */
export function parseCredentialFile(text: string, file: string): LabCredential[] {
  const name = basename(file)
  const out: LabCredential[] = []
  const seen = new Set<string>()
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '')
    if (line.trim() === '' || line.startsWith('#')) return
    const at = line.indexOf(':')
    // The line's text is not quoted in the error: it holds a password.
    if (at < 0) throw new ConfigError(`${file}:${index + 1}: malformed credential line (expected user:password)`)
    if (at === 0) throw new ConfigError(`${file}:${index + 1}: malformed credential line (empty username)`)
    if (line.length > 1024) throw new ConfigError(`${file}:${index + 1}: credential line longer than 1024 characters`)
    const username = line.slice(0, at)
    const password = line.slice(at + 1)
    const key = JSON.stringify([username, password])
    if (seen.has(key)) return
    seen.add(key)
    out.push({id: `lab:${name}:${index + 1}`, username, password})
  })
  if (out.length === 0) throw new ConfigError(`--credentials ${file}: no user:password line in the file`)
  return out
}

export function loadCredentialFile(file: string): LabCredential[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError(`--credentials ${file}: ${(error as Error).message}`)
  }
  return parseCredentialFile(text, file)
}
