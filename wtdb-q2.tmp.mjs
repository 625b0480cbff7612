const {openStore} = await import('./dist/src/db/open.js')
const q = await import('./dist/src/db/queries.js')
const s = await openStore('/tmp/wtdb-pgl20k')
for (let i = 0; i < 3; i++) { const t = performance.now(); await q.conformityList(s, {lab: 'Lab 1'}, 2001); console.log('conf', (performance.now() - t).toFixed(1)) }
const F = `devices d JOIN runs r ON r.id = d.run_id LEFT JOIN labs l ON l.id = r.lab_id LEFT JOIN campaigns c ON c.id = r.campaign_id`
const plan = await s.query(`EXPLAIN ANALYZE SELECT d.vendor, d.model, d.firmware, d.profile_id, d.profile_version, d.profile_sha256, d.verdict, r.finished_at,
       l.name AS lab, c.name AS campaign, coalesce(d.name, d.device_key) AS device, r.report_sha256, r.manifest_sha256, r.signed FROM ${F} WHERE l.name = 'Lab 1' ORDER BY lower(coalesce(d.vendor, '')), lower(coalesce(d.model, '')), d.firmware, r.finished_at DESC, d.id LIMIT 2001`)
console.log(plan.map((r) => r['QUERY PLAN']).slice(-3).join('\n'))
let t = performance.now()
const rows = await s.query(`SELECT json_build_array(d.vendor, d.model, d.firmware, d.profile_id, d.profile_version, d.profile_sha256, d.verdict, r.finished_at,
       l.name, c.name, coalesce(d.name, d.device_key), r.report_sha256, r.manifest_sha256, r.signed)::text AS j FROM ${F} WHERE l.name = 'Lab 1' ORDER BY lower(coalesce(d.vendor, '')), lower(coalesce(d.model, '')), d.firmware, r.finished_at DESC, d.id LIMIT 2001`)
rows.map((r) => JSON.parse(r.j))
console.log('json rows', (performance.now() - t).toFixed(1))
await s.close()
