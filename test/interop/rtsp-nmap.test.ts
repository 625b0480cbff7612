/**
 * Interop: nmap 7.93's rtsp-methods and rtsp-url-brute scripts against the lab's ip-camera. The methods nmap reads
 * from OPTIONS must equal ours, and the stream path our DESCRIBE found open must be among those rtsp-url-brute
 * reports answering 200 (nmap tries ~100 paths; we stop at the first open one of our shorter list).
 * nmap runs these scripts only on ports it knows as rtsp: a --datadir nmap-services file names the ephemeral
 * port so (as test/interop/http-nmap.test.ts does for HTTP).
 *
 * Nothing is skipped: a missing nmap fails the suite (apt-get install nmap).
 */
import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type RunningLab, startLab} from '../../src/lab/index.js'
import type {RtspSessionData} from '../../src/probes/rtsp/types.js'
import {runRtspSession} from '../../src/probes/rtsp/unit.js'
import {makeProbeContext} from '../helpers/probe-context.js'

const NMAP = process.env.SG17_NMAP ?? '/usr/bin/nmap'

let lab: RunningLab
beforeAll(async () => {
  if (!existsSync(NMAP)) throw new Error(`${NMAP} not found: apt-get install nmap (the RTSP interop test compares with its rtsp-methods script)`)
  lab = await startLab({devices: ['ip-camera']})
})
afterAll(async () => {
  await lab?.stop()
})

describe('RTSP vs nmap rtsp-methods / rtsp-url-brute', () => {
  it('the same methods; our open stream path is one nmap finds open', async () => {
    const uri = new URL(lab.devices[0].targets[0].replace(/^rtsp:/, 'http:'))
    const host = uri.hostname
    const port = Number(uri.port)
    const datadir = mkdtempSync(join(tmpdir(), 'sg17scan-nmap-rtsp-'))
    writeFileSync(join(datadir, 'nmap-services'), `rtsp\t${port}/tcp\t0.5\n`)
    const out = await new Promise<string>((resolve, reject) =>
      execFile(NMAP, ['-Pn', '-n', '--datadir', datadir, '-p', String(port), '--script', '+rtsp-methods,+rtsp-url-brute', host], {timeout: 120_000}, (e, stdout, stderr) => (e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout))),
    )
    const methodsLine = /rtsp-methods:\s*([A-Z][A-Z, ]*)\n/.exec(out)?.[1]
    expect(methodsLine, out).toBeDefined()
    const theirs = methodsLine!.split(',').map((s) => s.trim()).filter(Boolean)
    const ctx = makeProbeContext(port, {host, timeoutMs: 3000})
    Object.assign(ctx, {service: {...ctx.service, id: `rtsp://${host}:${port}`, protocol: 'rtsp'}})
    const ours = (await runRtspSession(ctx)).data as unknown as RtspSessionData
    expect(ours.methods).toEqual(theirs)
    const open = ours.describes.filter((d) => d.status === 200).map((d) => d.path)
    expect(open).toEqual(['/live.sdp'])
    // rtsp-url-brute lists the URLs that answered 200 under "discovered:".
    expect(out).toMatch(/discovered:/)
    const discovered = out.slice(out.indexOf('discovered:'), out.indexOf('other responses:'))
    expect(discovered).toMatch(new RegExp(`rtsp://${host.replace(/\./g, '\\.')}(:${port})?/live\\.sdp`))
    // The paths that asked us for credentials are among those nmap saw answer 401.
    const unauthorized = out.slice(out.indexOf('401:'))
    for (const d of ours.describes.filter((x) => x.status === 401)) expect(unauthorized).toMatch(new RegExp(`rtsp://${host.replace(/\./g, '\\.')}(:${port})?${d.path === '/' ? '/\\n' : d.path}`))
    console.log(`[rtsp-nmap] methods agree (${theirs.join(', ')}); open stream ${open.join(', ')} also in nmap's rtsp-url-brute`)
  }, 150_000)
})
