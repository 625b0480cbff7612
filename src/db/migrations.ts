/**
 * Versioned schema migrations, applied in order, each in its own transaction and recorded in schema_migrations.
 * Never edit a released migration: add the next one. The same SQL runs on PGlite and on a PostgreSQL server.
 *
 * Traceability: every device result row names the run it came from, and every run row keeps the SHA-256 of the
 * raw report.json bytes and of the report re-serialised (its key: the same report ingested twice is one) and, for bundles, of manifest.json
 * (which the bundle signature covers) — so each row leads back to the evidence it was read from.
 */
import type {Store} from './store.js'

export interface Migration {
  version: number
  name: string
  sql: string
}

/** A unit is a physical device: the same serial of the same declared model scanned twice (two runs of a campaign)
 *  is one unit; without a serial, each device result is its own unit. Over `d`, the devices table. */
export const UNIT_KEY_SQL = `coalesce(lower(d.declared_vendor) || '/' || lower(d.declared_model) || '/' || d.declared_serial, d.id::text)`

/** Every field the free-text search looks in, lower-cased and joined, over the devices table aliased `alias`
 *  (empty: unqualified, as in the trigram index's expression). A value found in one field is found in the joined
 *  text, so requiring both gives the same rows as the field-by-field test alone, through the index. */
export function searchTextSql(alias = ''): string {
  const c = (column: string) => `${alias ? `${alias}.` : ''}${column}`
  return `lower(coalesce(${c('name')}, ${c('device_key')}) || E'\\n' || coalesce(${c('vendor')}, '') || E'\\n' || coalesce(${c('model')}, '') || E'\\n' || coalesce(${c('firmware')}, '') || E'\\n' || coalesce(${c('declared_serial')}, ''))`
}

/** The conformity list's order over the devices table (unqualified: as in its indexes; `d.` in the query). Products
 *  by name, firmware, newest run first, then the row id, so the order is total and a page boundary is stable. */
export function conformityOrderSql(alias = ''): string {
  const c = (column: string) => `${alias ? `${alias}.` : ''}${column}`
  return `lower(coalesce(${c('vendor')}, '')), lower(coalesce(${c('model')}, '')), ${c('firmware')}, ${c('finished_at')} DESC, ${c('id')}`
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'conformity store: labs, campaigns, runs, devices, keys, findings, requirements, observations',
    sql: `
CREATE TABLE labs (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  operator TEXT,
  accreditation_id TEXT
);
CREATE TABLE campaigns (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  period_start TEXT,
  period_end TEXT,
  notes TEXT
);
CREATE TABLE runs (
  id BIGSERIAL PRIMARY KEY,
  -- Identity of the report: SHA-256 of the report re-serialised without whitespace, so the same report
  -- pretty-printed or compact, alone or inside a bundle, is one run.
  report_key TEXT NOT NULL UNIQUE,
  -- SHA-256 of the raw report.json bytes as ingested (what a bundle manifest lists).
  report_sha256 TEXT NOT NULL,
  source_kind TEXT NOT NULL CHECK (source_kind IN ('report', 'bundle')),
  manifest_sha256 TEXT,
  signed BOOLEAN NOT NULL DEFAULT FALSE,
  signer_fingerprint TEXT,
  signer_subject TEXT,
  source_path TEXT NOT NULL,
  lab_id BIGINT REFERENCES labs(id),
  campaign_id BIGINT REFERENCES campaigns(id),
  run_id TEXT NOT NULL,
  tool_name TEXT NOT NULL,
  tool_version TEXT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  command_line TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  profile_version TEXT NOT NULL,
  profile_sha256 TEXT NOT NULL,
  fail_on TEXT NOT NULL,
  device_count INTEGER NOT NULL,
  ingested_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX runs_campaign ON runs (campaign_id);
CREATE INDEX runs_lab ON runs (lab_id);
CREATE INDEX runs_finished ON runs (finished_at);

CREATE TABLE devices (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  device_key TEXT NOT NULL,
  name TEXT,
  declared_vendor TEXT,
  declared_model TEXT,
  declared_firmware TEXT,
  declared_serial TEXT,
  observed_vendor TEXT,
  observed_model TEXT,
  observed_firmware TEXT,
  -- What queries group by: the declared value, else the observed one.
  vendor TEXT,
  model TEXT,
  firmware TEXT,
  tags JSONB NOT NULL DEFAULT '[]',
  profile_id TEXT NOT NULL,
  profile_version TEXT NOT NULL,
  profile_sha256 TEXT NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'incomplete')),
  failed INTEGER NOT NULL,
  services JSONB NOT NULL DEFAULT '[]',
  UNIQUE (run_id, device_key)
);
CREATE INDEX devices_vendor_model ON devices (lower(vendor), lower(model));
CREATE INDEX devices_model_firmware ON devices (lower(model), firmware);
CREATE INDEX devices_verdict ON devices (verdict);

CREATE TABLE device_keys (
  device_id BIGINT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('tls', 'ssh')),
  fingerprint TEXT NOT NULL,
  PRIMARY KEY (device_id, kind, fingerprint)
);
CREATE INDEX device_keys_fingerprint ON device_keys (fingerprint);

CREATE TABLE findings (
  id BIGSERIAL PRIMARY KEY,
  device_id BIGINT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  check_id TEXT NOT NULL,
  title TEXT NOT NULL,
  outcome TEXT NOT NULL,
  severity TEXT NOT NULL,
  service TEXT NOT NULL,
  message TEXT NOT NULL,
  evidence JSONB NOT NULL DEFAULT '[]'
);
CREATE INDEX findings_device ON findings (device_id);
CREATE INDEX findings_check_outcome ON findings (check_id, outcome);

CREATE TABLE requirement_verdicts (
  device_id BIGINT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  standard TEXT NOT NULL,
  requirement TEXT NOT NULL,
  title TEXT,
  level TEXT,
  verdict TEXT NOT NULL,
  reason TEXT,
  PRIMARY KEY (device_id, standard, requirement)
);
CREATE INDEX requirement_verdicts_req ON requirement_verdicts (requirement, verdict);

-- Observations by reference: what was looked at and whether it was complete, not the data (that stays in the
-- report/bundle whose digest the run keeps).
CREATE TABLE observations (
  device_id BIGINT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  observation_id TEXT NOT NULL,
  probe TEXT NOT NULL,
  service TEXT NOT NULL,
  collected_at TIMESTAMPTZ NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('complete', 'partial', 'error')),
  reason TEXT,
  artifacts JSONB NOT NULL DEFAULT '[]',
  PRIMARY KEY (device_id, observation_id)
);
`,
  },
  {
    version: 2,
    name: 'per-run aggregates for campaign statistics and model trends',
    // Written at ingest, in the run's transaction: campaign and model pages sum a few rows per run instead of
    // scanning every finding (100,000 devices hold millions of findings).
    sql: `
CREATE TABLE run_check_stats (
  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  check_id TEXT NOT NULL,
  tested INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  PRIMARY KEY (run_id, check_id)
);
CREATE TABLE run_product_stats (
  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  vendor_key TEXT NOT NULL,
  model_key TEXT NOT NULL,
  firmware_key TEXT NOT NULL,
  vendor TEXT,
  model TEXT,
  firmware TEXT,
  devices INTEGER NOT NULL,
  pass INTEGER NOT NULL,
  fail INTEGER NOT NULL,
  incomplete INTEGER NOT NULL,
  PRIMARY KEY (run_id, vendor_key, model_key, firmware_key)
);
CREATE INDEX run_product_stats_model ON run_product_stats (vendor_key, model_key);
${RUN_CHECK_STATS_SQL('TRUE')};
${RUN_PRODUCT_STATS_SQL('TRUE')}
`,
  },
  {
    version: 3,
    name: 'campaign key counts, product list and failing devices per run (dashboard at 100,000 devices)',
    // Shared keys across a campaign's units and the overview's totals were scans of every key and device row;
    // these are kept up to date by ingest, so the pages read only the few rows they show.
    sql: `
CREATE TABLE campaign_key_units (
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  unit_key TEXT NOT NULL,
  device_id BIGINT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  PRIMARY KEY (campaign_id, kind, fingerprint, unit_key)
);
CREATE TABLE campaign_key_counts (
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  units INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, kind, fingerprint)
);
CREATE INDEX campaign_key_counts_shared ON campaign_key_counts (campaign_id, units);
CREATE TABLE products (
  vendor_key TEXT NOT NULL,
  model_key TEXT NOT NULL,
  PRIMARY KEY (vendor_key, model_key)
);
ALTER TABLE runs ADD COLUMN fail_devices INTEGER NOT NULL DEFAULT 0;
UPDATE runs SET fail_devices = (SELECT count(*) FROM devices d WHERE d.run_id = runs.id AND d.verdict = 'fail');
INSERT INTO products (vendor_key, model_key) SELECT DISTINCT vendor_key, model_key FROM run_product_stats;
INSERT INTO campaign_key_units (campaign_id, kind, fingerprint, unit_key, device_id)
SELECT r.campaign_id, k.kind, k.fingerprint, ${UNIT_KEY_SQL}, min(d.id)
FROM device_keys k JOIN devices d ON d.id = k.device_id JOIN runs r ON r.id = d.run_id
WHERE r.campaign_id IS NOT NULL GROUP BY r.campaign_id, k.kind, k.fingerprint, ${UNIT_KEY_SQL};
INSERT INTO campaign_key_counts (campaign_id, kind, fingerprint, units)
SELECT campaign_id, kind, fingerprint, count(*) FROM campaign_key_units GROUP BY campaign_id, kind, fingerprint
`,
  },
  {
    version: 4,
    name: 'per-campaign and per-firmware counters, trigram search, conformity order and check-filter indexes (p95 <= 100 ms at 100,000 devices)',
    // Campaign and model pages summed one run_product_stats row per (run, product, firmware): as many rows as
    // devices when a run holds many products. These tables hold one row per campaign and product (or check, or
    // requirement) and per product and firmware, incremented by ingest in the run's transaction, so the pages
    // read a few hundred rows whatever the fleet size. Search: one trigram index over the searched fields joined
    // (a match in one field is a match in the joined text, so adding that condition changes no result).
    sql: `
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE campaign_product_stats (
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  vendor_key TEXT NOT NULL,
  model_key TEXT NOT NULL,
  vendor TEXT,
  model TEXT,
  devices INTEGER NOT NULL,
  pass INTEGER NOT NULL,
  fail INTEGER NOT NULL,
  incomplete INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, vendor_key, model_key)
);
CREATE TABLE campaign_check_stats (
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  check_id TEXT NOT NULL,
  tested INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, check_id)
);
CREATE TABLE campaign_requirement_stats (
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  standard TEXT NOT NULL,
  requirement TEXT NOT NULL,
  assessed INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, standard, requirement)
);
CREATE TABLE product_firmware_stats (
  vendor_key TEXT NOT NULL,
  model_key TEXT NOT NULL,
  firmware_key TEXT NOT NULL,
  vendor TEXT,
  model TEXT,
  firmware TEXT,
  first_seen TIMESTAMPTZ NOT NULL,
  devices INTEGER NOT NULL,
  fail INTEGER NOT NULL,
  PRIMARY KEY (vendor_key, model_key, firmware_key)
);
INSERT INTO campaign_product_stats (campaign_id, vendor_key, model_key, vendor, model, devices, pass, fail, incomplete)
SELECT r.campaign_id, p.vendor_key, p.model_key, min(p.vendor), min(p.model), sum(p.devices), sum(p.pass), sum(p.fail), sum(p.incomplete)
FROM run_product_stats p JOIN runs r ON r.id = p.run_id WHERE r.campaign_id IS NOT NULL GROUP BY r.campaign_id, p.vendor_key, p.model_key;
INSERT INTO campaign_check_stats (campaign_id, check_id, tested, failed)
SELECT r.campaign_id, s.check_id, sum(s.tested), sum(s.failed)
FROM run_check_stats s JOIN runs r ON r.id = s.run_id WHERE r.campaign_id IS NOT NULL GROUP BY r.campaign_id, s.check_id;
INSERT INTO campaign_requirement_stats (campaign_id, standard, requirement, assessed, failed)
SELECT r.campaign_id, rv.standard, rv.requirement, count(*) FILTER (WHERE rv.verdict IN ('pass', 'fail')), count(*) FILTER (WHERE rv.verdict = 'fail')
FROM requirement_verdicts rv JOIN devices d ON d.id = rv.device_id JOIN runs r ON r.id = d.run_id
WHERE r.campaign_id IS NOT NULL GROUP BY r.campaign_id, rv.standard, rv.requirement;
INSERT INTO product_firmware_stats (vendor_key, model_key, firmware_key, vendor, model, firmware, first_seen, devices, fail)
SELECT p.vendor_key, p.model_key, p.firmware_key, min(p.vendor), min(p.model), min(p.firmware), min(r.finished_at), sum(p.devices), sum(p.fail)
FROM run_product_stats p JOIN runs r ON r.id = p.run_id GROUP BY p.vendor_key, p.model_key, p.firmware_key;
CREATE INDEX devices_search_trgm ON devices USING gin ((${searchTextSql()}) gin_trgm_ops);
CREATE INDEX devices_conformity_order ON devices (lower(coalesce(vendor, '')), lower(coalesce(model, '')), firmware);
-- Device lists filtered by check: the devices failing it come from the index alone.
CREATE INDEX devices_run ON devices (run_id, id);
DROP INDEX findings_check_outcome;
CREATE INDEX findings_check_outcome ON findings (check_id, outcome, device_id)
`,
  },
  {
    version: 5,
    name: 'evidence bytes: every verified report and bundle file, content-addressed, and which run holds which',
    // In the database, not in files beside it: a shared PostgreSQL store is written by pods on other machines and
    // read by a dashboard elsewhere, and only the database is common to them. Content-addressed by SHA-256 (the
    // digest a bundle manifest lists and the run row keeps), so a file in many runs is stored once. BYTEA: PGlite
    // and pg both pass it as bytes, and PostgreSQL compresses it (TOAST) out of line.
    sql: `
CREATE TABLE evidence_blobs (
  sha256 TEXT PRIMARY KEY,
  size BIGINT NOT NULL,
  bytes BYTEA NOT NULL
);
CREATE TABLE run_files (
  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES evidence_blobs(sha256),
  PRIMARY KEY (run_id, path)
);
CREATE INDEX run_files_sha256 ON run_files (sha256)
`,
  },
  {
    version: 6,
    name: 'joint statistics of finding check and outcome (device lists filtered by a check that rarely fails)',
    // Without them the planner multiplies the two selectivities and expects thousands of devices failing a check
    // that no device fails, walking every device of the lab (60 ms at 100,000) instead of reading the index (0.2 ms).
    sql: `CREATE STATISTICS findings_check_outcome_mcv (mcv) ON check_id, outcome FROM findings`,
  },
  {
    version: 7,
    name: "each device result carries its run's lab, campaign and finish (conformity list in index order, p95 <= 100 ms at 100,000 devices)",
    // The conformity list is sorted by product, firmware and the run's finish, and filtered by the run's lab or
    // campaign: with those on the run row only, the list read every device of a lab, joined its run and sorted
    // (107 ms at 100,000 devices in PGlite). Copied onto the device row (runs are immutable once ingested; ingest
    // writes the copies in the run's transaction), an index in the list's exact order, one per lab, returns the
    // first rows of a page already sorted. Back-filled here for the rows already stored.
    sql: `
ALTER TABLE devices ADD COLUMN lab_id BIGINT, ADD COLUMN campaign_id BIGINT, ADD COLUMN finished_at TIMESTAMPTZ;
UPDATE devices d SET lab_id = r.lab_id, campaign_id = r.campaign_id, finished_at = r.finished_at FROM runs r WHERE r.id = d.run_id;
ALTER TABLE devices ALTER COLUMN finished_at SET NOT NULL;
DROP INDEX devices_conformity_order;
CREATE INDEX devices_conformity_order ON devices (${conformityOrderSql()});
CREATE INDEX devices_conformity_lab ON devices (lab_id, ${conformityOrderSql()});
ANALYZE devices
`,
  },
]

/** Per-run bookkeeping of migration 3, run by ingest inside the run's transaction ($1 run id, $2 campaign id or null). */
export const RUN_TOTALS_SQL = [
  `UPDATE runs SET fail_devices = (SELECT count(*) FROM devices d WHERE d.run_id = $1 AND d.verdict = 'fail') WHERE id = $1`,
  `INSERT INTO products (vendor_key, model_key) SELECT DISTINCT vendor_key, model_key FROM run_product_stats WHERE run_id = $1 ON CONFLICT DO NOTHING`,
]

export const CAMPAIGN_KEYS_SQL = `WITH new_units AS (
  INSERT INTO campaign_key_units (campaign_id, kind, fingerprint, unit_key, device_id)
  SELECT $2, k.kind, k.fingerprint, ${UNIT_KEY_SQL}, min(d.id)
  FROM device_keys k JOIN devices d ON d.id = k.device_id WHERE d.run_id = $1
  GROUP BY k.kind, k.fingerprint, ${UNIT_KEY_SQL}
  ON CONFLICT DO NOTHING RETURNING kind, fingerprint
)
INSERT INTO campaign_key_counts (campaign_id, kind, fingerprint, units)
SELECT $2, kind, fingerprint, count(*) FROM new_units GROUP BY kind, fingerprint
ON CONFLICT (campaign_id, kind, fingerprint) DO UPDATE SET units = campaign_key_counts.units + EXCLUDED.units`

/** Migration 4's counters, incremented by ingest inside the run's transaction ($1 run id, $2 campaign id; the
 *  campaign ones only for a run of a campaign). Rows go in key order, so two writers adding runs at once lock the
 *  shared rows in the same order (no deadlock). */
export const CAMPAIGN_STATS_SQL = [
  `INSERT INTO campaign_product_stats AS t (campaign_id, vendor_key, model_key, vendor, model, devices, pass, fail, incomplete)
SELECT $2, vendor_key, model_key, min(vendor), min(model), sum(devices), sum(pass), sum(fail), sum(incomplete)
FROM run_product_stats WHERE run_id = $1 GROUP BY vendor_key, model_key ORDER BY vendor_key, model_key
ON CONFLICT (campaign_id, vendor_key, model_key) DO UPDATE SET vendor = LEAST(t.vendor, EXCLUDED.vendor), model = LEAST(t.model, EXCLUDED.model),
  devices = t.devices + EXCLUDED.devices, pass = t.pass + EXCLUDED.pass, fail = t.fail + EXCLUDED.fail, incomplete = t.incomplete + EXCLUDED.incomplete`,
  `INSERT INTO campaign_check_stats AS t (campaign_id, check_id, tested, failed)
SELECT $2, check_id, tested, failed FROM run_check_stats WHERE run_id = $1 ORDER BY check_id
ON CONFLICT (campaign_id, check_id) DO UPDATE SET tested = t.tested + EXCLUDED.tested, failed = t.failed + EXCLUDED.failed`,
  `INSERT INTO campaign_requirement_stats AS t (campaign_id, standard, requirement, assessed, failed)
SELECT $2, rv.standard, rv.requirement, count(*) FILTER (WHERE rv.verdict IN ('pass', 'fail')), count(*) FILTER (WHERE rv.verdict = 'fail')
FROM requirement_verdicts rv JOIN devices d ON d.id = rv.device_id WHERE d.run_id = $1
GROUP BY rv.standard, rv.requirement ORDER BY rv.standard, rv.requirement
ON CONFLICT (campaign_id, standard, requirement) DO UPDATE SET assessed = t.assessed + EXCLUDED.assessed, failed = t.failed + EXCLUDED.failed`,
]

/** Per product and firmware over every run ($1 run id): devices, failures and the first run's finish. */
export const FIRMWARE_STATS_SQL = `INSERT INTO product_firmware_stats AS t (vendor_key, model_key, firmware_key, vendor, model, firmware, first_seen, devices, fail)
SELECT p.vendor_key, p.model_key, p.firmware_key, p.vendor, p.model, p.firmware, r.finished_at, p.devices, p.fail
FROM run_product_stats p JOIN runs r ON r.id = p.run_id WHERE p.run_id = $1 ORDER BY p.vendor_key, p.model_key, p.firmware_key
ON CONFLICT (vendor_key, model_key, firmware_key) DO UPDATE SET vendor = LEAST(t.vendor, EXCLUDED.vendor), model = LEAST(t.model, EXCLUDED.model),
  firmware = LEAST(t.firmware, EXCLUDED.firmware), first_seen = LEAST(t.first_seen, EXCLUDED.first_seen),
  devices = t.devices + EXCLUDED.devices, fail = t.fail + EXCLUDED.fail`

/** Fills run_check_stats for the runs matching `where` (over `d`, the devices table). */
export function RUN_CHECK_STATS_SQL(where: string): string {
  return `INSERT INTO run_check_stats (run_id, check_id, tested, failed)
SELECT d.run_id, f.check_id, count(DISTINCT f.device_id) FILTER (WHERE f.outcome IN ('pass', 'fail')),
  count(DISTINCT f.device_id) FILTER (WHERE f.outcome = 'fail')
FROM findings f JOIN devices d ON d.id = f.device_id WHERE ${where} GROUP BY d.run_id, f.check_id`
}

export function RUN_PRODUCT_STATS_SQL(where: string): string {
  return `INSERT INTO run_product_stats (run_id, vendor_key, model_key, firmware_key, vendor, model, firmware, devices, pass, fail, incomplete)
SELECT d.run_id, lower(coalesce(d.vendor, '')), lower(coalesce(d.model, '')), coalesce(d.firmware, ''), min(d.vendor), min(d.model),
  min(d.firmware), count(*), count(*) FILTER (WHERE d.verdict = 'pass'), count(*) FILTER (WHERE d.verdict = 'fail'),
  count(*) FILTER (WHERE d.verdict = 'incomplete')
FROM devices d WHERE ${where} GROUP BY d.run_id, lower(coalesce(d.vendor, '')), lower(coalesce(d.model, '')), coalesce(d.firmware, '')`
}

/** Serialises migrations between writers opening one server store at once (a no-op cost on PGlite). */
const LOCK = 'SELECT pg_advisory_xact_lock(1751700015)'

const BOOKKEEPING = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`

/** Applies the migrations the store lacks; returns the versions applied. Concurrent openers serialise on a lock. */
export async function migrate(store: Store, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await store.transaction(async (tx) => {
    await tx.query(LOCK)
    await tx.query(BOOKKEEPING)
  })
  const applied: number[] = []
  for (const m of migrations) {
    const done = await store.transaction(async (tx) => {
      // Two writers opening a fresh server store at once: the second waits here, then sees the row.
      await tx.query(LOCK)
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version])
      if (seen.length > 0) return false
      for (const statement of splitStatements(m.sql)) await tx.query(statement)
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name])
      return true
    })
    if (done) applied.push(m.version)
  }
  return applied
}

/** The schema version the store is at (0 when empty). */
export async function schemaVersion(store: Store): Promise<number> {
  const rows = await store.query<{v: number | null}>('SELECT max(version) AS v FROM schema_migrations')
  return Number(rows[0]?.v ?? 0)
}

/** Our migration SQL has no semicolons inside literals or bodies, so statements split on `;` at line ends. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0)
}
