/**
 * Interop sessions in a network namespace of their own (`unshare --map-root-user --net`): root inside it, only its
 * own loopback, nothing of the machine's network or clock touched; no root needed outside.
 */
import {spawn} from 'node:child_process'

import {toolPath, TOOLS} from './interop-tools.js'

/** Runs a shell script in a new user + network namespace; the whole session (process group) is killed after `timeoutMs`. */
export function runInNetNamespace(script: string, timeoutMs = 25_000): Promise<{code: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(toolPath(TOOLS.unshare), ['--map-root-user', '--net', 'sh', '-c', script], {stdio: ['ignore', 'pipe', 'pipe'], detached: true})
    let stdout = ''
    let stderr = ''
    // Decoded as a stream: a chunk boundary may fall inside a multi-byte character ('§' in a reference clause).
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, stdout, stderr})
    })
  })
}

/** The last line of `text` that starts with '{' (a JSON report printed among other output), parsed. */
export function lastJsonLine(text: string): unknown {
  const line = text.trim().split('\n').filter((l) => l.startsWith('{')).pop()
  return line === undefined ? undefined : JSON.parse(line)
}
