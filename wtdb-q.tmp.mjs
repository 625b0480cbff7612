const {openStore} = await import('./dist/src/db/open.js')
const dq = await import('./dist/src/db/dashboard-queries.js')
const s = await openStore('/tmp/wtdb-pgl20k')
for (let i = 0; i < 3; i++) { const t = performance.now(); await dq.modelTrends(s); console.log('trend', (performance.now() - t).toFixed(1)) }
const plan = await s.query(`EXPLAIN ANALYZE WITH top AS (
       SELECT vendor_key, model_key FROM product_firmware_stats GROUP BY vendor_key, model_key
       ORDER BY sum(devices) DESC, vendor_key, model_key LIMIT 500
     )
     SELECT p.vendor_key AS vk, p.model_key AS mk, p.vendor, p.model, p.firmware, p.first_seen, p.devices, p.fail
     FROM product_firmware_stats p JOIN top t ON t.vendor_key = p.vendor_key AND t.model_key = p.model_key
     ORDER BY p.vendor_key, p.model_key, p.first_seen, p.firmware`)
console.log(plan.map((r) => r['QUERY PLAN']).join('\n'))
let t = performance.now(); const rows = await s.query('SELECT vendor_key, model_key, vendor, model, firmware, first_seen, devices, fail FROM product_firmware_stats'); console.log('plain select', rows.length, (performance.now() - t).toFixed(1))
t = performance.now(); await s.query('SELECT count(*) FROM product_firmware_stats'); console.log('count', (performance.now() - t).toFixed(1))
await s.close()
