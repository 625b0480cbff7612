#!/usr/bin/env node
/**
 * Precision and recall of the PII detectors on the labelled corpora in test/fixtures/pii (positive/<type>.txt,
 * negative/<type>.txt). Uses the built library: run `npx tsc -p tsconfig.json` first.
 *
 *   node bench/pii-precision.mjs [--verbose]
 *
 * Prints one line per type:  pii <type> precision=… recall=… n+=… n-=…
 * With --verbose, the samples behind misses and false alarms go to stderr (the corpora hold invented values).
 */
import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {log} from './lib.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const CORPORA = join(ROOT, 'test', 'fixtures', 'pii')
const verbose = process.argv.includes('--verbose')

const pii = await import(pathToFileURL(join(ROOT, 'dist', 'src', 'pii', 'index.js')).href).catch((error) => {
  log(`cannot load dist/src/pii/index.js (build first: npx tsc -p tsconfig.json): ${error.message}`)
  process.exit(2)
})

const corpus = (kind, type) => pii.parseCorpus(readFileSync(join(CORPORA, kind, `${type}.txt`), 'utf8'))

for (const type of pii.PII_TYPES) {
  const s = pii.scoreCorpus(type, corpus('positive', type), corpus('negative', type))
  console.log(`pii ${type} precision=${s.precision.toFixed(3)} recall=${s.recall.toFixed(3)} n+=${s.positives} n-=${s.negatives}`)
  if (verbose) {
    for (const m of s.missed) log(`  missed ${type}: ${m}`)
    for (const f of s.falseAlarms) log(`  false ${type}: ${f}`)
  }
}
