/**
 * A Debian OpenSSH sshd on 127.0.0.1 for interop tests: its config (the given lines after a common head) and pid
 * file live in `dir`; resolves once it accepts connections. A missing sshd fails with what to install.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {writeFile} from 'node:fs/promises'
import {connect, createServer} from 'node:net'
import {join} from 'node:path'

import {toolPath, TOOLS} from './interop-tools.js'

export interface Sshd {
  port: number
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const {port} = s.address() as {port: number}
      s.close(() => resolve(port))
    })
  })
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${log()}`)
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({host: '127.0.0.1', port})
      s.once('connect', () => {
        s.destroy()
        resolve(true)
      })
      s.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`sshd did not listen on ${port}: ${log()}`)
}

export async function startSshd(dir: string, name: string, lines: string[]): Promise<Sshd> {
  const port = await freePort()
  const config = join(dir, `${name}.conf`)
  await writeFile(
    config,
    [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `PidFile ${join(dir, `${name}.pid`)}`,
      'UsePAM no',
      'StrictModes no',
      'LogLevel ERROR',
      ...lines,
      '',
    ].join('\n'),
  )
  const child = spawn(toolPath(TOOLS.sshd), ['-D', '-e', '-f', config], {stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
  await waitForPort(port, child, () => stderr)
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

