#!/usr/bin/env node
/**
 * Writes dist/data-datasets.json (npm run build, after tsc): the dataset name (a JSON data file's top-level string
 * `id`, or null) of every data/**.json file, keyed by the SHA-256 of its bytes. A report's provenance lists every
 * data file with its digest and dataset name (src/evidence/provenance.ts); it still reads and hashes each file on
 * every run, but looks the name up here instead of parsing ~1 MB of JSON. A file edited since the build has
 * another digest and is parsed.
 */
import {writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const {dataFiles} = await import(pathToFileURL(join(ROOT, 'dist/src/evidence/provenance.js')).href)
const index = {}
for (const f of dataFiles()) if (f.file.endsWith('.json')) index[f.sha256] = f.dataset ?? null
writeFileSync(join(ROOT, 'dist', 'data-datasets.json'), JSON.stringify(index, null, 1) + '\n')
console.log(`wrote the dataset names of ${Object.keys(index).length} data files to dist/data-datasets.json`)
