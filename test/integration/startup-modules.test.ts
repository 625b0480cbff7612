/**
 * What each command loads (issue 16): the built CLI runs under test/helpers/load-log.mjs, which logs every ES
 * module (loader hook) and every CommonJS file (Module.prototype.load: ssh2, net-snmp, node-forge require each
 * other out of sight of ESM hooks), and with the same SG17SCAN_LOAD_LOG the CLI bundle logs every module it
 * initializes, by its path (dist/src/…, node_modules/@oclif/core/…; scripts/bundle-cli.mjs). Structural only: no
 * timing.
 *
 * Probe modules a command that does not probe a family may still load — the "light" files, which hold the
 * names, shapes and data that checks judge with and that flag parsing reads, and open no socket:
 *  - types.js (observation names and shapes) and meta.js (the unit's id/protocols/emits for the registry);
 *  - ssh/algorithms.js and tls/registry.js (the algorithm policy and IANA cipher-suite data the checks grade by);
 *  - snmp/write-classes.js and cred/lockout.js (pure classifications shared by probe and check);
 *  - snmp/community-file.js, snmp/v3-credential-file.js, cred/credential-file.js, cred/policy.js, cred/budget.js
 *    (the scan command's --communities, --snmp-v3-credentials, --credentials files and login policy).
 * Each light file loaded is also read: it may import only relative modules and node:fs/path/url/util/crypto —
 * no npm package, no network module.
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type RunningLab, startLab} from '../../src/lab/index.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const RUN = join(ROOT, 'bin/run.js')
const PRELOAD = join(ROOT, 'test/helpers/load-log.mjs')
const HEAVY = ['ssh2', 'undici', 'net-snmp', 'node-forge'] as const
const LIGHT_NAMES = new Set(['types.js', 'meta.js'])
const LIGHT_FILES = new Set([
  'ssh/algorithms.js', 'tls/registry.js', 'snmp/write-classes.js', 'cred/lockout.js',
  'snmp/community-file.js', 'snmp/v3-credential-file.js', 'cred/credential-file.js', 'cred/policy.js', 'cred/budget.js',
])
/** Packages @oclif/core requires that a command run (not help) does not need on Linux (not WSL). */
const OCLIF_COLD = ['ejs', 'tinyglobby', 'cli-spinners', 'semver', 'minimatch', 'wsl-utils', 'is-wsl', 'is-inside-container']
const LIGHT_BUILTINS = new Set(['node:fs', 'node:path', 'node:url', 'node:util', 'node:crypto'])

interface Loaded {
  code: number | null
  stdout: string
  stderr: string
  /** Paths relative to the repository (node_modules/… or dist/…), each once. */
  files: string[]
}

/** Runs the built CLI with the load log; a hard kill bounds it. */
function runLogged(args: string[], env: Record<string, string> = {}): Promise<Loaded> {
  const dir = mkdtempSync(join(tmpdir(), 'sg17scan-loads-'))
  const log = join(dir, 'loads.txt')
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PRELOAD, RUN, ...args], {env: {...process.env, ...env, NODE_ENV: 'production', SG17SCAN_LOAD_LOG: log}})
    let stdout = ''
    let stderr = ''
    // Decoded as a stream: a chunk boundary may fall inside a multi-byte character ('§' in a reference clause).
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      let text = ''
      try {
        text = readFileSync(log, 'utf8')
      } catch {}
      rmSync(dir, {recursive: true, force: true})
      const loaded = [...new Set(text.split('\n').filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u)))]
        .filter((f) => f.startsWith(ROOT))
        .map((f) => f.slice(ROOT.length))
      resolve({code, stdout, stderr, files: loaded})
    })
  })
}

/** Our own modules (initialized in the bundle, named by their tsc output path) and the command stubs. */
const dist = (l: Loaded) => l.files.filter((f) => /^dist\/(src|checks)\/|^dist\/cli\/commands\//.test(f))
const packagesLoaded = (l: Loaded) => HEAVY.filter((p) => l.files.some((f) => f.startsWith(`node_modules/${p}/`)))
/** Modules of dist/src/writers/ (file names), and the writer module of each output format. */
const writerModules = (l: Loaded) => l.files.filter((f) => /^dist\/src\/writers\/[^/]+$/.test(f)).map((f) => f.slice('dist/src/writers/'.length))
const FORMAT_WRITERS = ['json.js', 'jsonl.js', 'csv.js', 'sarif.js', 'junit.js', 'md.js', 'oscal.js', 'html.js', 'requirements-csv.js']
/** Modules of dist/src/probes/<family>/ as "<family>/<file>". */
const probeModules = (l: Loaded) => l.files.filter((f) => /^dist\/src\/probes\/[^/]+\//.test(f)).map((f) => f.slice('dist/src/probes/'.length))
const isLight = (m: string) => LIGHT_NAMES.has(m.split('/').pop()!) || LIGHT_FILES.has(m)

/** Import specifiers of a built module that are neither relative nor a harmless builtin. */
function heavyImports(m: string): string[] {
  const text = readFileSync(join(ROOT, 'dist/src/probes', m), 'utf8')
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)]
    .map((x) => x[1] ?? x[2] ?? x[3]!)
  return specs.filter((s) => !s.startsWith('.') && !LIGHT_BUILTINS.has(s))
}

function expectOnlyLightProbes(l: Loaded, exceptFamilies: string[] = []): void {
  const probes = probeModules(l).filter((m) => !exceptFamilies.includes(m.split('/')[0]!))
  expect(probes.filter((m) => !isLight(m))).toEqual([])
  expect(probes.filter((m) => heavyImports(m).length > 0).map((m) => `${m}: ${heavyImports(m).join(', ')}`)).toEqual([])
}

describe('start-up loads only what the command needs', () => {
  it('--version and --help load no command nor any module of ours', async () => {
    for (const args of [['--version'], ['--help']]) {
      const r = await runLogged(args)
      expect(r.code, r.stderr).toBe(0)
      // The log works: the launcher itself is seen.
      expect(r.files).toContain('bin/run.js')
      // Except the comparator the build gives oclif's command sort (util/collate.js, pure, no import).
      expect(dist(r).filter((f) => f !== 'dist/src/util/collate.js')).toEqual([])
      expect(packagesLoaded(r)).toEqual([])
    }
  }, 60_000)

  it('--version is answered without loading oclif, in oclif\'s format', async () => {
    const r = await runLogged(['--version'])
    const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {name: string; version: string}
    expect(r.stdout).toBe(`${pjson.name}/${pjson.version} ${process.platform}-${process.arch === 'ia32' ? 'x86' : process.arch} node-${process.version}\n`)
    expect(r.files.filter((f) => f.startsWith('node_modules/') || f.startsWith('dist/'))).toEqual([])
  }, 60_000)

  it('the build\'s code cache is the bundle\'s: V8 takes it', async () => {
    const r = await runLogged(['checks', 'list'], {SG17SCAN_DEBUG_CODE_CACHE: '1'})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain('code cache: accepted')
  }, 60_000)

  it('checks list loads the checks but no probe code and no network package', async () => {
    const r = await runLogged(['checks', 'list'])
    expect(r.code, r.stderr).toBe(0)
    expect(dist(r).some((f) => f.startsWith('dist/checks/'))).toBe(true)
    expectOnlyLightProbes(r)
    expect(packagesLoaded(r)).toEqual([])
    expect(r.files.filter((f) => OCLIF_COLD.some((p) => f.startsWith(`node_modules/${p}/`)))).toEqual([])
  }, 60_000)

  describe('an SSH-only scan', () => {
    let lab: RunningLab
    beforeAll(async () => {
      lab = await startLab({devices: ['good-gateway']})
    })
    afterAll(async () => {
      await lab?.stop()
    })

    it('loads the SSH unit and its raw client, no ssh2 (its fallback) and no TLS/SNMP/HTTP probe code nor their packages', async () => {
      const ssh = lab.devices[0]!.targets.find((t) => t.startsWith('ssh://'))!
      expect(ssh).toBeDefined()
      const r = await runLogged(['scan', ssh, '--json'])
      expect(r.stdout, r.stderr).toMatch(/"ssh\.kexinit"/)
      expect(probeModules(r)).toContain('ssh/unit.js')
      expect(probeModules(r)).toContain('ssh/raw-session.js')
      // ssh2 loads only when the raw client cannot run the none request (before the raw client: always).
      expect(probeModules(r)).not.toContain('ssh/client.js')
      expect(r.files.filter((f) => f.startsWith('node_modules/ssh2/'))).toEqual([])
      expectOnlyLightProbes(r, ['ssh'])
      expect(packagesLoaded(r)).toEqual([])
      // Positive control of the CommonJS log (ssh2 is no longer there to show it works): the command's stub.
      expect(r.files).toContain('dist/cli/commands/scan.cjs')
      // The built-in profile was validated by the build against the schema on disk (scripts/build-profiles.mjs):
      // neither ajv nor the precompiled validator is loaded.
      expect(r.files.filter((f) => f.startsWith('node_modules/ajv/') || f.startsWith('dist/validators/'))).toEqual([])
      // oclif's start-up without what it needs only for help, templates, spinners, command discovery without a
      // manifest, plugin-name patterns, its Node version check, or on WSL (scripts/bundle-cli.mjs).
      expect(r.files.filter((f) => OCLIF_COLD.some((p) => f.startsWith(`node_modules/${p}/`)))).toEqual([])
      // A scan of service URIs loads no port-scan code (discovery, TCP/UDP port scans, their worker threads), only
      // the port-list syntax check of --ports and the profile's tcpPorts.
      expect(dist(r).filter((f) => /^dist\/src\/engine\/(discovery\.js|ports\/(?!port-spec\.js))/.test(f))).toEqual([])
      // The built-in profile is read from the build's JSON (scripts/build-profiles.mjs): no YAML parser.
      expect(r.files.filter((f) => f.startsWith('node_modules/yaml/'))).toEqual([])
      // --json prints through oclif: no report writer, no summary renderer, no batch or bundle code.
      expect(writerModules(r)).toEqual(['index.js'])
      expect(dist(r).filter((f) => /^dist\/src\/(batch\/(?!shard\.js)|inventory\/|evidence\/bundle\.js)/.test(f))).toEqual([])
    }, 60_000)

    it('loads the writer of the one format asked for and no other', async () => {
      const ssh = lab.devices[0]!.targets.find((t) => t.startsWith('ssh://'))!
      const r = await runLogged(['scan', ssh, '--format', 'sarif'])
      expect(r.stdout, r.stderr).toMatch(/"version": "2\.1\.0"/)
      expect(writerModules(r)).toContain('sarif.js')
      expect(writerModules(r).filter((m) => FORMAT_WRITERS.includes(m) && m !== 'sarif.js')).toEqual([])
    }, 60_000)
  })
})
