#!/usr/bin/env node
/**
 * Batch identity analysis benchmark: analyzeBatch over N synthetic identity digests (what a batch runner keeps per
 * device), with one TLS key shared by every 500th device and 20 declared models, some samples on other firmware.
 *
 *   node bench/identity.mjs [--devices 1000,10000,100000] [--no-build]
 *
 * Prints one line per size:  devices digest_json_bytes heap_bytes_per_digest analyze_ms shared_devices
 * (heap per digest needs `node --expose-gc`; without it the figure is "n/a"). Progress goes to stderr.
 */
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {log} from './lib.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const sizes = (args[args.indexOf('--devices') + 1] && args.includes('--devices') ? args[args.indexOf('--devices') + 1] : '1000,10000,100000')
  .split(',')
  .map(Number)
if (!args.includes('--no-build')) {
  log('building dist/ (tsc)')
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], {stdio: 'inherit'})
  if (r.status !== 0) process.exit(1)
}
const {analyzeBatch} = await import(pathToFileURL(join(ROOT, 'dist/src/identity/batch.js')).href)

const sha = (s) => createHash('sha256').update(s).digest('hex')
const digest = (i) => ({
  device: `dev-${String(i).padStart(6, '0')}`,
  identityObservation: `obs-${sha(`o${i}`).slice(0, 16)}`,
  declared: {vendor: 'Acme', model: `GW-${i % 20}`, firmware: '1.0.4'},
  tlsKeys: [sha(i % 500 === 0 ? 'shared' : `t${i}`)],
  sshKeys: [`SHA256:${Buffer.from(sha(`s${i}`), 'hex').toString('base64').replace(/=+$/, '')}`],
  keyTypes: ['ssh:ssh-ed25519-256', 'tls:RSA-2048'],
  services: ['ssh', 'tls'],
  observed: {firmware: i % 97 === 0 ? '0.9.1' : '1.0.4'},
})

console.log('# devices digest_json_bytes heap_bytes_per_digest analyze_ms shared_devices')
for (const n of sizes) {
  globalThis.gc?.()
  const before = process.memoryUsage().heapUsed
  const digests = Array.from({length: n}, (_, i) => digest(i))
  globalThis.gc?.()
  const perDigest = globalThis.gc ? Math.round((process.memoryUsage().heapUsed - before) / n) : 'n/a'
  const started = performance.now()
  const batch = analyzeBatch(digests)
  const ms = performance.now() - started
  const shared = batch.findings.find((f) => f.check === 'tls.cert.shared-device-key' && f.outcome === 'fail')?.devices.length ?? 0
  console.log(`${n} ${JSON.stringify(digests[1]).length} ${perDigest} ${ms.toFixed(0)} ${shared}`)
}
