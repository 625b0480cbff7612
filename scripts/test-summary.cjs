// Prints the plain "N passed, N failed" line CI reads; vitest's own summary is not in that form.
const fs = require('node:fs')
const file = process.argv[2] || '.vitest.json'
if (!fs.existsSync(file)) {
  console.log('0 passed, 1 failed')
  process.exit(0)
}
const r = JSON.parse(fs.readFileSync(file, 'utf8'))
const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0)
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ''))
