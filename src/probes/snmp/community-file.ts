import {readFileSync} from 'node:fs'

import {ConfigError} from '../../profiles/errors.js'
import type {CommunityCandidate} from './dataset.js'

/**
 * A lab's own community list (`--communities FILE`): one community per line, blank lines and `#` comments
 * skipped. Each is identified in evidence as `lab-<line number>`; the strings themselves stay secret.
 */
export function loadCommunityFile(file: string): CommunityCandidate[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError(`--communities ${file}: ${(error as Error).message}`)
  }
  const out: CommunityCandidate[] = []
  const seen = new Set<string>()
  text.split(/\r?\n/).forEach((line, index) => {
    const community = line.replace(/\r$/, '')
    if (community.trim() === '' || community.startsWith('#') || seen.has(community)) return
    if (community.length > 255) throw new ConfigError(`${file}:${index + 1}: community longer than 255 bytes`)
    seen.add(community)
    out.push({id: `lab-${index + 1}`, community})
  })
  if (out.length === 0) throw new ConfigError(`--communities ${file}: no community in the file`)
  return out
}
