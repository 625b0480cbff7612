/**
 * Interop: Debian ntpsec (`ntpd`) as the real NTP peer, cross-checked with its own `ntpq -c rv` and nmap's
 * `ntp-info` script. ntpd has no port option (it always binds 123), so each daemon runs on 127.0.0.1:123 inside a
 * network namespace of its own, created by `unshare --map-root-user --net` (a user namespace too: no root needed,
 * no real CAP_SYS_TIME, so ntpd can never touch the machine's clock, and the machine's own port 123 is never
 * involved). The probe side runs in the same namespace (test/interop/ntp-namespace-child.mts under tsx); the
 * namespace and everything in it ends with its shell (ntpd killed by trap, the shell by the test's hang guard).
 *  - `restrict 127.0.0.1` (queries allowed): ntp.mode6.exposed fails, READVAR's version/processor/system equal what
 *    ntpq and ntp-info print.
 *  - `restrict … noquery`: time requests answered, no control query: ntp.mode6.exposed passes; ntpq times out.
 * Both namespaces run at once. A missing ntpd/ntpq/nmap fails the suite (apt-get install ntpsec nmap).
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, expect, it} from 'vitest'

import {interopSuite, TOOLS, toolPath} from '../helpers/interop-tools.js'
import {lastJsonLine, runInNetNamespace} from '../helpers/netns.js'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const CHILD = fileURLToPath(new URL('./ntp-namespace-child.mts', import.meta.url))
const MARK = '----sg17-ntp----'

interface Session {
  ours: {services: string[]; ports: {open: Array<{port: number; protocol: string}>; openFiltered: {ranges: string}}; ntp: Record<string, any>; error?: unknown; artifacts: string[]; verdict: {outcome: string; message: string}}
  ntpq: string
  nmap: string
  log: string
}

const CONF = {
  open: ['restrict default kod nomodify nopeer noquery limited', 'restrict 127.0.0.1'],
  noquery: ['restrict default kod nomodify nopeer noquery limited', 'restrict 127.0.0.1 kod limited nomodify nopeer noquery', 'restrict ::1 kod limited nomodify nopeer noquery'],
}

async function session(dir: string, name: keyof typeof CONF): Promise<Session> {
  const conf = join(dir, `${name}.conf`)
  writeFileSync(conf, [`driftfile ${join(dir, `${name}.drift`)}`, ...CONF[name], 'interface ignore wildcard', 'interface listen 127.0.0.1', ''].join('\n'))
  const script = [
    'ip link set lo up',
    `${toolPath(TOOLS.ntpd)} -n -c ${conf} -l ${join(dir, `${name}.log`)} &`,
    'P=$!',
    "trap 'kill $P 2>/dev/null' EXIT",
    // Bounded wait for ntpd's socket (at most 5 s).
    'for i in $(seq 1 50); do ss -uln | grep -q "127.0.0.1:123" && break; sleep 0.1; done',
    `cd ${REPO} && ${process.execPath} --import tsx ${CHILD}`,
    `echo ${MARK}`,
    `${toolPath(TOOLS.ntpq)} -c "timeout 1000" -c rv 127.0.0.1 2>&1 | head -20`,
    `echo ${MARK}`,
    // ntp-info waits ~10 s for a control answer that noquery never sends: asked only where queries are allowed.
    name === 'open' ? `${toolPath(TOOLS.nmap)} -n -sU -p 123 --max-retries 1 --script ntp-info 127.0.0.1 2>&1` : 'true',
    `echo ${MARK}`,
    `cat ${join(dir, `${name}.log`)}`,
  ].join('\n')
  const {code, stdout: out, stderr: err} = await runInNetNamespace(script)
  const [ours, ntpq, nmap, log] = out.split(`${MARK}\n`)
  const report = lastJsonLine(ours)
  if (report === undefined) throw new Error(`${name}: no probe output (exit ${code}): ${out}\n${err}`)
  return {ours: report as Session['ours'], ntpq: ntpq ?? '', nmap: nmap ?? '', log: log ?? ''}
}

/** `name: value` lines of nmap's ntp-info output. */
function ntpInfo(nmap: string): Record<string, string> {
  return Object.fromEntries([...nmap.matchAll(/^\|[_ ]\s+([a-z_ ]+): (.*?)(?:\\x0D)?$/gm)].map((m) => [m[1].trim(), m[2].trim()]))
}

/** `name=value` pairs of `ntpq -c rv` (quoted values unquoted). */
function ntpqVars(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/([a-z_]+)=("[^"]*"|[^,\s]+)/g)].map((m) => [m[1], m[2].replace(/^"|"$/g, '')]))
}

interopSuite('NTP vs ntpsec (ntpd in a network namespace, ntpq, nmap ntp-info)', [TOOLS.ntpd, TOOLS.ntpq, TOOLS.nmap, TOOLS.unshare, TOOLS.ip], () => {
  let dir: string
  let open: Session
  let noquery: Session
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sg17-ntp-'))
    ;[open, noquery] = await Promise.all([session(dir, 'open'), session(dir, 'noquery')])
  }, 40_000)
  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('queries allowed: discovery finds NTP on 123/udp, ntp.mode6.exposed fails, READVAR agrees with ntpq and ntp-info', () => {
    expect(open.ours.services).toEqual(['ntp://127.0.0.1:123'])
    expect(open.ours.ports.open).toEqual([{port: 123, state: 'open', reason: expect.any(String), protocol: 'ntp'}])
    // Nothing listens on 161 in the namespace: ICMP port unreachable, so closed (not open|filtered).
    expect(open.ours.ports.openFiltered.ranges).toBe('')
    expect(open.ours.verdict.outcome).toBe('fail')
    const theirs = ntpqVars(open.ntpq)
    expect(theirs.version, open.ntpq).toMatch(/^ntpd ntpsec-/)
    const vars = open.ours.ntp.readvar.variables
    for (const k of ['version', 'processor', 'system']) expect(vars[k], k).toBe(theirs[k])
    const info = ntpInfo(open.nmap)
    for (const k of ['version', 'processor', 'system']) expect(info[k], `${k} in ${open.nmap}`).toBe(vars[k])
    // Every variable name ntpq printed is among the names READVAR returned.
    expect(open.ours.ntp.readvar.names).toEqual(expect.arrayContaining(Object.keys(theirs).filter((k) => k !== 'associd' && k !== 'status')))
    expect(open.ours.ntp.readvar.amplification).toBeGreaterThan(10)
    expect(open.ours.verdict.message).toContain(`version=${JSON.stringify(vars.version)}`)
    expect(open.ours.artifacts).toEqual(expect.arrayContaining(['ntp-readvar-request', 'ntp-readvar-response-0']))
  })

  it('noquery: time requests answered, control queries not: ntp.mode6.exposed passes; ntpq times out', () => {
    expect(noquery.ours.services).toEqual(['ntp://127.0.0.1:123'])
    expect(noquery.ours.ntp.client.answered).toBe(true)
    expect(noquery.ours.ntp.readvar).toMatchObject({answered: false, sent: 3})
    expect(noquery.ours.verdict.outcome).toBe('pass')
    expect(noquery.ntpq).toMatch(/timed out/i)
  })
})
