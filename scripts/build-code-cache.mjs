#!/usr/bin/env node
/**
 * Writes V8's code cache of the CLI bundle (npm run build, after bundle-cli.mjs and the oclif manifest):
 * dist/cli/sg17scan.code-cache, read by bin/bundle-loader.cjs. The cache holds the functions compiled while the
 * bundle ran, so the build runs what a user runs most, in one process: `checks list`, then `scan` of one in-process
 * lab device with SSH, TLS and HTTP (strong-hub, 127.0.0.1 only; the default profile; the report discarded).
 * V8 rejects the cache under another Node/V8 version or other V8 flags: the CLI then compiles as without it.
 * The cache only saves start-up time: when the warm-up cannot run here (no loopback listener allowed, say), the build
 * goes on without it and says so (test/integration/startup-modules.test.ts fails in our CI if it is missing).
 */
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const CACHE = join(ROOT, 'dist', 'cli', 'sg17scan.code-cache')
const RUN = join(ROOT, 'bin', 'run.js')
const DEVICE = 'strong-hub'

/** Runs the commands in one child process that loads the bundle as bin/run.js does and writes the cache at exit. */
function warmUp(runs) {
  const script = [
    "const {createRequire} = require('node:module');",
    `const {execute} = createRequire(${JSON.stringify(RUN)})('./bundle-loader.cjs').bundle();`,
    `(async () => { for (const args of ${JSON.stringify(runs)}) await execute({args, dir: ${JSON.stringify(pathToFileURL(RUN).href)}}).catch(() => {}) })();`,
  ].join('\n')
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], {cwd: ROOT, env: {...process.env, NODE_ENV: 'production', SG17SCAN_CODE_CACHE_OUT: CACHE}, stdio: ['ignore', 'ignore', 'inherit']})
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
}

async function main() {
  const {startLab} = await import(pathToFileURL(join(ROOT, 'dist', 'src', 'lab', 'index.js')).href)
  const lab = await startLab({devices: [DEVICE]})
  const dir = mkdtempSync(join(tmpdir(), 'sg17-code-cache-'))
  try {
    const ca = join(dir, 'lab-ca.pem')
    writeFileSync(ca, lab.caPem)
    const code = await warmUp([['checks', 'list'], ['scan', ...lab.devices[0].targets, '--ca', ca, '--json']])
    if (!existsSync(CACHE)) throw new Error(`the warm-up (exit ${code}) wrote no ${CACHE}`)
    console.log(`wrote ${CACHE} (${(statSync(CACHE).size / 1e6).toFixed(2)} MB, warm-up exit ${code})`)
  } finally {
    await lab.stop()
    rmSync(dir, {recursive: true, force: true})
  }
}

main().catch((error) => {
  rmSync(CACHE, {force: true})
  console.warn(`build-code-cache: no code cache written, the CLI will compile its bundle at every start (${error instanceof Error ? error.message : error})`)
})
