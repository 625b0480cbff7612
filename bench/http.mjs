#!/usr/bin/env node
/**
 * HTTP admin-surface benchmark: sg17scan vs nmap (http-cookie-flags + http-headers) against the lab's HTTP
 * devices, started in this process from dist/.
 *
 *   node bench/http.mjs [--runs N] [--no-build]
 *
 * Prints one line per figure:  target tool median_wall_s requests
 * sg17scan = `node bin/run.js scan URI --ca LAB_CA --json` (the whole CLI: the HTTP crawl of ~20 requests, and for
 *            https:// also the TLS enumeration); sg17scan-unit = the HTTP probe unit alone, in-process;
 * nmap     = `nmap -Pn -n --datadir D -p PORT --script +http-cookie-flags,+http-headers 127.0.0.1` (D names the
 *            port http/https, as in test/interop/http-nmap.test.ts; nmap makes 2–3 requests).
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {buildWithTsc, log, median, parseRunsAndBuild, runTimed, which} from './lib.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

const options = parseRunsAndBuild(process.argv.slice(2), 'http.mjs')
if (options.build) buildWithTsc(ROOT)
const nmap = which('nmap')
if (!nmap) throw new Error('nmap not found')

const {startLab} = await import(pathToFileURL(join(ROOT, 'dist/src/lab/index.js')).href)
const {runHttpProbe} = await import(pathToFileURL(join(ROOT, 'dist/src/probes/http/unit.js')).href)
const {connect} = await import('node:net')

const lab = await startLab({devices: ['webcam-http', 'secure-admin']})
const dir = mkdtempSync(join(tmpdir(), 'sg17scan-bench-http-'))
const caFile = join(dir, 'lab-ca.pem')
writeFileSync(caFile, lab.caPem)
try {
  for (const device of lab.devices) {
    for (const uri of device.targets) {
      const url = new URL(uri)
      const scheme = url.protocol.replace(':', '')
      const port = Number(url.port)
      const datadir = mkdtempSync(join(dir, 'nmap-'))
      writeFileSync(join(datadir, 'nmap-services'), `${scheme}\t${port}/tcp\t0.5\n`)
      const times = {sg17scan: [], 'sg17scan-unit': [], nmap: []}
      let requests = 0
      for (let run = 0; run < options.runs; run += 1) {
        times.sg17scan.push((await runTimed(process.execPath, [join(ROOT, 'bin/run.js'), 'scan', uri, '--ca', caFile, '--json'])).seconds)
        const started = process.hrtime.bigint()
        const emissions = await runHttpProbe({
          service: {id: uri, protocol: scheme, host: '127.0.0.1', port, transport: 'tcp'},
          timeoutMs: 5000,
          signal: new AbortController().signal,
          caCertificates: [lab.caPem],
          targetName: '127.0.0.1',
          now: () => new Date(),
          log: () => {},
          connect: () =>
            new Promise((resolve, reject) => {
              const s = connect({host: '127.0.0.1', port})
              s.once('connect', () => resolve(s))
              s.once('error', reject)
            }),
        })
        times['sg17scan-unit'].push(Number(process.hrtime.bigint() - started) / 1e9)
        requests = emissions[0].data.exchanges.length
        times.nmap.push((await runTimed(nmap, ['-Pn', '-n', '--datadir', datadir, '-p', String(port), '--script', '+http-cookie-flags,+http-headers', '127.0.0.1'])).seconds)
      }
      for (const [tool, values] of Object.entries(times)) {
        console.log(`${device.name} ${scheme} ${tool} ${median(values).toFixed(3)} ${tool === 'nmap' ? '-' : requests}`)
      }
    }
  }
} finally {
  await lab.stop()
}
