#!/usr/bin/env node
/**
 * Conformity store benchmark: a synthetic fleet built from a lab fleet scan, ingested into the embedded store
 * (PGlite) and into a PostgreSQL server, then the dashboard's queries timed on it.
 *
 *   node bench/db.mjs [--devices N] [--per-report B] [--stores embedded,server] [--pg URL] [--runs K] [--template report.json]
 *   node bench/db.mjs --queries-only --stores server --pg URL     (or --stores embedded --embedded DIR): time the queries
 *                                                                 on a store an earlier run filled, without ingesting
 *
 * The template is a lab fleet of 16 devices scanned once (or --template, a native report). Each synthetic report
 * holds B devices (default 500) copied from it, with their own vendor/model/firmware (40 vendors × 5 models ×
 * 4 firmware), serial, and key fingerprints (1 % of units share a key in groups of 3, a clone signal); verdicts,
 * findings and observations are the template device's, so every report is self-consistent and passes ingest
 * verification (schema, contradictions) exactly as a real one. Reports are written to files and ingested through
 * the same path as `db ingest` (read, verify, store), one transaction each.
 *
 * Without --pg, a private PostgreSQL cluster is started (initdb + pg_ctl on a free 127.0.0.1 port; as root via
 * runuser -u postgres) and removed afterwards. Needs dist/ (npm run build).
 *
 * Prints one line per figure: <store> devices, ingest_s, devices_per_s, store_mb, peak_rss_mb and rss_mb at
 * each quarter of the ingest (memory bounded: it must not grow with the fleet), then p50/p95 ms of each
 * dashboard query over K runs (default 20) with varying parameters.
 */
import {execFileSync} from 'node:child_process'
import {chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createHash} from 'node:crypto'
import {tmpdir, userInfo} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {freeTcpPort, log} from './lib.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = (p) => import(join(ROOT, 'dist', 'src', p))

function parseArgs(argv) {
  const o = {devices: 10_000, perReport: 500, stores: ['embedded', 'server'], pg: undefined, runs: 20, template: undefined, queriesOnly: false, embedded: undefined}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--devices') o.devices = Number(argv[++i])
    else if (a === '--per-report') o.perReport = Number(argv[++i])
    else if (a === '--stores') o.stores = argv[++i].split(',')
    else if (a === '--pg') o.pg = argv[++i]
    else if (a === '--runs') o.runs = Number(argv[++i])
    else if (a === '--template') o.template = argv[++i]
    else if (a === '--queries-only') o.queriesOnly = true
    else if (a === '--embedded') o.embedded = argv[++i]
    else throw new Error(`unknown argument ${a}`)
  }
  return o
}

const sha = (s) => createHash('sha256').update(s).digest('hex')

async function templateReport(file) {
  if (file) return JSON.parse(readFileSync(file, 'utf8'))
  const {startFleet} = await dist('lab/fleet/index.js')
  const {scanDevices} = await dist('index.js')
  const fleet = await startFleet({count: 16, seed: 3})
  try {
    return await scanDevices(
      fleet.devices.map((d) => ({id: d.id, name: d.id, targets: d.targets, declared: d.declared, tags: d.tags})),
      {caCertificates: [fleet.caPem], commandLine: 'sg17scan scan --inventory fleet.csv'},
    )
  } finally {
    await fleet.stop()
  }
}

/** Report number `r` of the synthetic fleet: devices r*B … r*B+B-1. */
function syntheticReport(template, r, perReport, total, {summarize, withBatch, observationId, analyzeBatch, identityDigest, batchChecks}) {
  const devices = []
  for (let i = 0; i < perReport && r * perReport + i < total; i++) {
    const n = r * perReport + i
    const t = template.devices[n % template.devices.length]
    const d = structuredClone(t)
    const vendor = `Vendor${String(n % 40).padStart(2, '0')}`
    const model = `${vendor}-M${Math.floor(n / 40) % 5}`
    const firmware = `${1 + (Math.floor(n / 200) % 4)}.0.${n % 3}`
    const oldService = `device:${d.id}`
    d.id = `unit-${String(n).padStart(7, '0')}`
    d.name = d.id
    // Device-level observations and findings name the device (device:<id>).
    for (const o of d.observations) if (o.service === oldService) o.service = `device:${d.id}`
    for (const f of d.findings) if (f.service === oldService) f.service = `device:${d.id}`
    d.declared = {vendor, model, firmware, serial: `SN-${String(n).padStart(8, '0')}`}
    // Own keys, except 1 % of units that share one in groups of 3 (clones).
    const keySeed = n % 100 === 0 ? `clone-${Math.floor(n / 300)}` : d.id
    for (const o of d.observations) {
      if (o.probe !== 'device.identity' && o.service !== `device:${d.id}`) continue
      for (const t of o.data?.tls ?? []) t.spkiSha256 = sha(`tls-${keySeed}`)
      for (const s of o.data?.ssh ?? []) for (const k of s.hostKeys ?? []) k.fingerprint = `SHA256:${Buffer.from(sha(`ssh-${keySeed}`), 'hex').toString('base64').replace(/=+$/, '')}`
      // Observation ids are content-derived (ingest recomputes them): the changed record gets its new id, and
      // the findings citing it follow.
      const old = o.id
      o.id = observationId(o)
      for (const f of d.findings) f.evidence = f.evidence.map((e) => (e === old ? o.id : e))
    }
    devices.push(d)
  }
  // Batch findings (the clone groups' shared keys) as the scanner derives them: ingest recomputes them.
  const batch = devices.length > 1 ? analyzeBatch(devices.map(identityDigest), batchChecks) : undefined
  const startedAt = new Date(Date.UTC(2026, 0, 1) + r * 3_600_000).toISOString()
  return {
    ...template,
    run: {...template.run, id: `bench-run-${r}`, startedAt, finishedAt: startedAt},
    devices,
    ...(batch ? {batch} : {}),
    summary: withBatch(summarize(devices, template.summary.failOn), batch),
  }
}

function startPostgres(port) {
  const root = '/usr/lib/postgresql'
  const version = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => b - a)[0] : undefined
  if (!version) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: apt-get install -y postgresql')
  const bin = join(root, version, 'bin')
  const asRoot = userInfo().uid === 0
  const base = mkdtempSync(join(tmpdir(), 'sg17scan-bench-pg-'))
  if (asRoot) chownSync(base, Number(execFileSync('id', ['-u', 'postgres'], {encoding: 'utf8'})), Number(execFileSync('id', ['-g', 'postgres'], {encoding: 'utf8'})))
  chmodSync(base, 0o700)
  const run = (cmd, args) => execFileSync(asRoot ? 'runuser' : cmd, asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args, {stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000})
  const data = join(base, 'data')
  run(join(bin, 'initdb'), ['-D', data, '-U', 'sg17scan', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C'])
  run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(base, 'log'), '-o', `-p ${port} -k ${base} -c listen_addresses=127.0.0.1`, '-w', 'start'])
  return {url: `postgres://sg17scan@127.0.0.1:${port}/postgres`, stop: () => (run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']), rmSync(base, {recursive: true, force: true}))}
}

const dirSize = (p) => {
  const s = statSync(p)
  if (!s.isDirectory()) return s.size
  return readdirSync(p).reduce((n, e) => n + dirSize(join(p, e)), 0)
}

const pctl = (values, p) => {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
}

async function bench(kind, location, template, o, work) {
  const {openStore} = await dist('db/open.js')
  if (o.queriesOnly) {
    const store = await openStore(location)
    await timeQueries(kind, store, o)
    return store.close()
  }
  const {summarize, withBatch} = await dist('engine/verdict.js')
  const {observationId} = await dist('evidence/ids.js')
  const {analyzeBatch, identityDigest} = await dist('identity/batch.js')
  // The batch checks of the template's (built-in) profile, as the scanner selected them.
  const {builtInProfileDir, loadProfileFile} = await dist('profiles/loader.js')
  const profile = loadProfileFile(join(builtInProfileDir(), `${template.run.profile.id}.yaml`))
  const batchChecks = profile.checks.filter((c) => c.check.scope === 'batch')
  const lib = {summarize, withBatch, observationId, analyzeBatch, identityDigest, batchChecks}
  const store = await openStore(location)
  await ingestFleet(kind, location, store, template, o, work, lib)
  await timeQueries(kind, store, o)
  await store.close()
}

async function ingestFleet(kind, location, store, template, o, work, lib) {
  const {ingestPath} = await dist('db/ingest.js')
  const reports = Math.ceil(o.devices / o.perReport)
  const rss = []
  let peak = 0
  const started = performance.now()
  for (let r = 0; r < reports; r++) {
    const file = join(work, `r${r}.json`)
    writeFileSync(file, JSON.stringify(syntheticReport(template, r, o.perReport, o.devices, lib)))
    const out = await ingestPath(store, file, {lab: `Lab ${r % 3}`, campaign: {name: `MS-${2026 + (r % 2)}`}})
    if (out.status !== 'stored') throw new Error(`${file}: ${out.status} ${JSON.stringify((out.problems ?? []).slice(0, 5))}`)
    rmSync(file)
    const now = process.memoryUsage().rss / 2 ** 20
    peak = Math.max(peak, now)
    if ([0.25, 0.5, 0.75, 1].some((f) => r === Math.ceil(reports * f) - 1)) rss.push(Math.round(now))
    if (r % 10 === 9) log(`${kind}: ${(r + 1) * o.perReport} devices, ${((performance.now() - started) / 1000).toFixed(0)} s, rss ${Math.round(now)} MB`)
  }
  const seconds = (performance.now() - started) / 1000
  const size =
    kind === 'embedded'
      ? dirSize(location) / 2 ** 20
      : Number((await store.query('SELECT pg_database_size(current_database()) AS b'))[0].b) / 2 ** 20
  console.log(`${kind} devices ${o.devices}`)
  console.log(`${kind} ingest_s ${seconds.toFixed(1)}`)
  console.log(`${kind} devices_per_s ${(o.devices / seconds).toFixed(0)}`)
  console.log(`${kind} store_mb ${size.toFixed(0)}`)
  console.log(`${kind} peak_rss_mb ${Math.round(peak)}`)
  console.log(`${kind} rss_mb_at_quarters ${rss.join(',')}`)
}

async function timeQueries(kind, store, o) {
  const q = await dist('db/queries.js')
  const dq = await dist('db/dashboard-queries.js')
  const pages = await dist('serve/pages.js')
  if (kind === 'server') await store.query('ANALYZE')
  const [{max, devices}] = await store.query('SELECT max(id) AS max, count(*) AS devices FROM devices')
  // The first device's checks, in its findings' order (the template's first device: the same in both modes).
  const checks = (await store.query('SELECT check_id FROM findings WHERE device_id = (SELECT min(id) FROM devices) ORDER BY id')).map((r) => r.check_id)
  const byCheck = (i) => ({check: checks[i % checks.length], outcome: 'fail', lab: `Lab ${i % 3}`})
  const serial = (i) => `SN-${String((i * 4099) % Number(devices)).padStart(8, '0')}`
  const pick = (i) => `Vendor${String((i * 7) % 40).padStart(2, '0')}`
  const queries = {
    overview: () => dq.overview(store),
    campaign_stats: (i) => q.campaignStats(store, `MS-${2026 + (i % 2)}`),
    models_trend: () => dq.modelTrends(store),
    devices_filtered: (i) => q.queryDevices(store, {vendor: pick(i), model: `${pick(i)}-M${i % 5}`, verdict: 'fail'}, 100),
    devices_count: (i) => q.countDevices(store, {vendor: pick(i), verdict: 'fail'}),
    devices_by_check: (i) => q.queryDevices(store, byCheck(i), 100),
    search_serial: (i) => q.queryDevices(store, {search: serial(i)}, 100),
    // Whole device-list pages as served (rows and total count): by check and outcome, and a search.
    devices_page_by_check: (i) => pages.devicesPage(store, byCheck(i), 1),
    devices_page_search: (i) => pages.devicesPage(store, {search: serial(i)}, 1),
    device_page: (i) => dq.deviceDetail(store, 1 + ((i * 7919) % Number(max))),
    conformity_page: (i) => q.conformityList(store, {lab: `Lab ${i % 3}`}, 2001),
  }
  for (const [name, fn] of Object.entries(queries)) {
    await fn(0) // warm
    const times = []
    for (let i = 1; i <= o.runs; i++) {
      const t = performance.now()
      await fn(i)
      times.push(performance.now() - t)
    }
    console.log(`${kind} query_${name}_ms p50 ${pctl(times, 50).toFixed(1)} p95 ${pctl(times, 95).toFixed(1)}`)
  }
}

const o = parseArgs(process.argv.slice(2))
const template = o.queriesOnly ? undefined : await templateReport(o.template)
if (o.stores.length > 1 && !o.queriesOnly) {
  // One process per store: PGlite's WebAssembly memory is not returned to the system when it closes, so the
  // second store's memory figures would include the first's.
  const dir = mkdtempSync(join(tmpdir(), 'sg17scan-bench-tpl-'))
  const file = join(dir, 'template.json')
  writeFileSync(file, JSON.stringify(template))
  const {spawnSync} = await import('node:child_process')
  const rest = process.argv.slice(2).filter((a, i, all) => a !== '--stores' && all[i - 1] !== '--stores' && a !== '--template' && all[i - 1] !== '--template')
  let status = 0
  for (const kind of o.stores) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...rest, '--stores', kind, '--template', file], {stdio: 'inherit'})
    status ||= child.status ?? 1
  }
  rmSync(dir, {recursive: true, force: true})
  process.exit(status)
}
if (template) log(`template: ${template.devices.length} devices, ${template.devices.reduce((n, d) => n + d.findings.length, 0)} findings`)
const work = mkdtempSync(join(tmpdir(), 'sg17scan-bench-db-'))
try {
  for (const kind of o.stores) {
    if (kind === 'embedded') await bench(kind, o.embedded ?? join(work, 'store'), template, o, work)
    else if (kind === 'server') {
      const pg = o.pg ? {url: o.pg, stop: () => undefined} : startPostgres(await freeTcpPort())
      try {
        await bench(kind, pg.url, template, o, work)
      } finally {
        pg.stop()
      }
    } else throw new Error(`--stores: unknown store ${kind}`)
  }
} finally {
  rmSync(work, {recursive: true, force: true})
}
