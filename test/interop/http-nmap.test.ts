/**
 * Interop: nmap 7.93 `http-cookie-flags` and `http-headers` against the lab's HTTP devices (webcam-http,
 * secure-admin on both ports) and one in-test HTTPS server with a careless session cookie. For every port,
 * the cookie flags nmap reports missing must equal those our surface reports missing (and fail the matching
 * checks), and the security headers, HSTS, Server and X-Powered-By nmap sees must equal ours.
 *
 * Nothing is skipped: a missing nmap fails the suite. Comparison rules, each asserted below:
 *  1. Cookies: nmap judges only session cookies (its name patterns; ours are a superset, see cookies.ts) and
 *     reports "secure flag not set and HTTPS in use" only on HTTPS — as our checks do. Flags are compared
 *     as sets of "cookie:flag".
 *     nmap decides "HTTPS in use" from the port's service name, which for an ephemeral port it knows only
 *     through -sV (slow, and it names the lab's TLS ports "ssl/unknown"). The test therefore gives nmap a
 *     --datadir holding an nmap-services file that names each port http or https (nmap finds its scripts
 *     in the default location as usual).
 *  2. nmap's http-headers sends HEAD to / and follows same-host redirects (secure-admin: / → /login); our
 *     security-header facts are read from the page / settles on after same-origin redirects: same page.
 *     The redirecting HTTP port shows no page: nmap's headers carry none of the security headers there and
 *     our surface has no root page (null).
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createServer, type Server} from 'node:https'
import {promisify} from 'node:util'

import {afterAll, beforeAll, expect, it} from 'vitest'

import {check as httpOnlyMissing} from '../../checks/http/cookie-httponly-missing.js'
import {check as secureMissing} from '../../checks/http/cookie-secure-missing.js'
import type {Check} from '../../src/checks/types.js'
import type {Observation, Service} from '../../src/evidence/types.js'
import {issueLeaf} from '../../src/lab/ca.js'
import {type RunningLab, startLab} from '../../src/lab/index.js'
import {P_HTTP_SURFACE, SECURITY_HEADERS, type HttpSurfaceData} from '../../src/probes/http/types.js'
import {runHttpProbe} from '../../src/probes/http/unit.js'
import type {ProbeContext} from '../../src/probes/types.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'
import {interopSuite, toolPath, TOOLS} from '../helpers/interop-tools.js'
import {makeProbeContext} from '../helpers/probe-context.js'

const execFileAsync = promisify(execFile)
const NMAP = toolPath(TOOLS.nmap)

interface NmapPort {
  service: string
  cookieIssues: Set<string>
  headers: Map<string, string>
}

interface Target {
  label: string
  scheme: 'http' | 'https'
  port: number
}

let lab: RunningLab
let careless: Server
const targets: Target[] = []
const nmap = new Map<number, NmapPort>()
const ours = new Map<number, HttpSurfaceData>()

function unescapeXml(s: string): string {
  return s
    .replace(/&#xa;/g, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#45;/g, '-')
    .replace(/&amp;/g, '&')
}

/** Per port: the service name, "cookie:httponly" / "cookie:secure" from http-cookie-flags, header name → value from http-headers. */
function parseNmapXml(xml: string): Map<number, NmapPort> {
  const out = new Map<number, NmapPort>()
  for (const port of xml.matchAll(/<port protocol="tcp" portid="(\d+)">([\s\S]*?)<\/port>/g)) {
    const body = port[2]!
    const cookieIssues = new Set<string>()
    const flags = /<script id="http-cookie-flags"[^>]*>([\s\S]*?)<\/script>/.exec(body)?.[1] ?? ''
    for (const cookie of flags.matchAll(/<table key="([^"]+)">((?:\s*<elem>[^<]*<\/elem>)+)\s*<\/table>/g)) {
      for (const elem of cookie[2]!.matchAll(/<elem>([^<]*)<\/elem>/g)) {
        const flag = /httponly/i.test(elem[1]!) ? 'httponly' : /secure/i.test(elem[1]!) ? 'secure' : elem[1]!
        cookieIssues.add(`${unescapeXml(cookie[1]!)}:${flag}`)
      }
    }
    const headers = new Map<string, string>()
    const output = /<script id="http-headers" output="([^"]*)"/.exec(body)?.[1]
    for (const line of unescapeXml(output ?? '').split('\n')) {
      const m = /^\s{2}([A-Za-z0-9-]+): (.*)$/.exec(line)
      if (m) headers.set(m[1]!.toLowerCase(), m[2]!)
    }
    out.set(Number(port[1]), {service: /<service name="([^"]*)"/.exec(body)?.[1] ?? '', cookieIssues, headers})
  }
  return out
}

function context(t: Target): ProbeContext {
  const base = makeProbeContext(t.port, {timeoutMs: 3000, protocol: 'https'})
  const service: Service = {...base.service, id: `${t.scheme}://127.0.0.1:${t.port}`, protocol: t.scheme}
  return {...base, service, connect: base.connect.bind(base)}
}

function ourCookieIssues(s: HttpSurfaceData): Set<string> {
  const issues = new Set<string>()
  for (const c of s.cookies.filter((x) => x.session)) {
    if (!c.httpOnly) issues.add(`${c.name}:httponly`)
    if (s.scheme === 'https' && !c.secure) issues.add(`${c.name}:secure`)
  }
  return issues
}

function outcome(check: Check, t: Target, s: HttpSurfaceData): string {
  const service: Service = {id: `${t.scheme}://127.0.0.1:${t.port}`, protocol: t.scheme, host: '127.0.0.1', port: t.port, transport: 'tcp'}
  const o: Observation = {id: 'o', service: service.id, probe: P_HTTP_SURFACE, collectedAt: '2026-01-01T00:00:00Z', data: s as unknown as Record<string, unknown>, artifacts: []}
  return check.evaluate({service, observations: {[P_HTTP_SURFACE]: o}, thresholds: DEFAULT_THRESHOLDS, now: new Date(), severity: check.defaultSeverity}).outcome
}

async function setUp(): Promise<void> {
  lab = await startLab({devices: ['webcam-http', 'secure-admin']})
  for (const d of lab.devices) {
    for (const uri of d.targets) {
      const u = new URL(uri)
      targets.push({label: `${d.name} ${u.protocol}`, scheme: u.protocol === 'https:' ? 'https' : 'http', port: Number(u.port)})
    }
  }
  // A careless HTTPS UI: session cookie without Secure and HttpOnly, a non-session cookie, no security headers.
  const leaf = issueLeaf({purpose: 'interop-careless', commonName: 'careless.lab', keyBits: 2048, days: 30})
  careless = createServer({key: leaf.keyPem, cert: leaf.certPem}, (_req, res) => {
    res.writeHead(200, {'content-type': 'text/html', 'set-cookie': ['PHPSESSID=abc123; Path=/', 'lang=en; Path=/'], server: 'lighttpd/1.4.59'})
    res.end('<html><head><title>Admin</title></head><body><form method=post action=/login><input type=password name=p></form></body></html>')
  })
  await new Promise<void>((resolve) => careless.listen(0, '127.0.0.1', resolve))
  const address = careless.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  targets.push({label: 'careless https:', scheme: 'https', port: address.port})

  const ports = targets.map((t) => t.port).join(',')
  const datadir = mkdtempSync(join(tmpdir(), 'sg17scan-nmap-'))
  writeFileSync(join(datadir, 'nmap-services'), targets.map((t) => `${t.scheme}\t${t.port}/tcp\t0.5\n`).join(''))
  const args = ['-Pn', '-n', '--datadir', datadir, '-p', ports, '--script', '+http-cookie-flags,+http-headers', '-oX', '-', '127.0.0.1']
  const {stdout} = await execFileAsync(NMAP, args, {timeout: 120_000})
  for (const [port, parsed] of parseNmapXml(stdout)) nmap.set(port, parsed)
  for (const t of targets) {
    const emissions = await runHttpProbe(context(t))
    const surface = emissions.find((e) => e.probe === P_HTTP_SURFACE)!
    expect(surface.error).toBeUndefined()
    ours.set(t.port, surface.data as unknown as HttpSurfaceData)
  }
}

interopSuite('HTTP probe vs nmap http-cookie-flags / http-headers', [TOOLS.nmap], () => {
  beforeAll(setUp, 180_000)
  afterAll(async () => {
    await lab?.stop()
    await new Promise<void>((resolve) => (careless ? careless.close(() => resolve()) : resolve()))
  })

  it('nmap answered for every port, with the service names we gave it', () => {
    expect(targets.length).toBe(4)
    for (const t of targets) expect(nmap.get(t.port)?.headers.size, t.label).toBeGreaterThan(0)
    for (const t of targets) expect(nmap.get(t.port)?.service, t.label).toBe(t.scheme)
  })

  it('the fixture has something to disagree about: nmap reports missing flags on two ports, Secure among them', () => {
    expect([...nmap.values()].filter((p) => p.cookieIssues.size > 0).length).toBe(2)
    expect([...nmap.values()].some((p) => [...p.cookieIssues].some((i) => i.endsWith(':secure')))).toBe(true)
  })

  it('same missing cookie flags, and the checks fail exactly where nmap reports them', () => {
    for (const t of targets) {
      const theirs = nmap.get(t.port)!.cookieIssues
      const s = ours.get(t.port)!
      expect([...ourCookieIssues(s)].sort(), t.label).toEqual([...theirs].sort())
      const httpOnlyExpected = [...theirs].some((i) => i.endsWith(':httponly')) ? 'fail' : 'pass'
      expect(outcome(httpOnlyMissing, t, s), t.label).toBe(httpOnlyExpected)
      if (t.scheme === 'https') {
        const secureExpected = [...theirs].some((i) => i.endsWith(':secure')) ? 'fail' : 'pass'
        expect(outcome(secureMissing, t, s), t.label).toBe(secureExpected)
      }
    }
  })

  it('same security headers, HSTS, Server and X-Powered-By', () => {
    for (const t of targets) {
      const theirs = nmap.get(t.port)!.headers
      const s = ours.get(t.port)!
      expect(SECURITY_HEADERS.filter((h) => theirs.has(h)), t.label).toEqual(s.securityHeaders?.present ?? [])
      if (t.scheme === 'https') {
        expect(s.hsts?.present, t.label).toBe(theirs.has('strict-transport-security'))
        if (s.hsts?.present) expect(s.hsts.raw).toBe(theirs.get('strict-transport-security'))
      }
      expect(s.server, t.label).toBe(theirs.get('server') ?? '')
      expect(s.poweredBy, t.label).toBe(theirs.get('x-powered-by') ?? '')
    }
  })
})
