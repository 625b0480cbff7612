#!/usr/bin/env node
/**
 * Builds data/snmp/communities.json from the SecLists SNMP community lists (MIT, danielmiessler/SecLists).
 *
 *   node scripts/build-snmp-communities.mjs [SOURCE_DIR]
 *
 * SOURCE_DIR defaults to data/vendor/seclists/snmp in this repository (or $SG17_SNMP_LISTS). Only the two lists
 * with exact strings are read (the *-onesixtyone* variants truncate strings to 15 characters):
 *   common-snmp-community-strings.txt (118, the short list: rows first, in list order)
 *   snmp.txt                          (3,217, a superset: the remaining rows, in list order)
 * Every row keeps its provenance: `source` = file, `line` = 1-based line in that file; `alsoIn` names the other
 * list when the string appears there too. Ids are `snmp-<list>-<line>` (list = common | full): stable across
 * rebuilds as long as the upstream files are unchanged. Exact duplicates are dropped (first occurrence wins);
 * case variants are distinct communities and all kept.
 * Community strings are secrets of the devices that use them: sg17scan never prints them, it names the id.
 */
import {createHash} from 'node:crypto'
import {readFileSync, writeFileSync, copyFileSync, existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SRC = process.argv[2] ?? process.env.SG17_SNMP_LISTS ?? join(ROOT, 'data', 'vendor', 'seclists', 'snmp')
const OUT = join(ROOT, 'data', 'snmp')

const LISTS = [
  {key: 'common', file: 'common-snmp-community-strings.txt'},
  {key: 'full', file: 'snmp.txt'},
]

/** Exported for tests: the pure transformation from list texts to dataset rows. */
export function buildRows(texts) {
  const rows = []
  const byCommunity = new Map()
  for (const {key, file, text} of texts) {
    const lines = text.split('\n')
    if (lines.at(-1) === '') lines.pop()
    lines.forEach((raw, index) => {
      const community = raw.replace(/\r$/, '')
      if (community === '') return
      const line = index + 1
      const existing = byCommunity.get(community)
      if (existing) {
        if (existing.source !== file && !existing.alsoIn.includes(file)) existing.alsoIn.push(file)
        return
      }
      const row = {id: `snmp-${key}-${line}`, community, source: file, line, alsoIn: []}
      byCommunity.set(community, row)
      rows.push(row)
    })
  }
  return rows
}

function main() {
  const texts = LISTS.map(({key, file}) => ({key, file, text: readFileSync(join(SRC, file), 'utf8')}))
  const rows = buildRows(texts)
  const sha = Object.fromEntries(texts.map(({file, text}) => [file, createHash('sha256').update(text).digest('hex')]))
  const dataset = {
    id: 'seclists-snmp-communities',
    description:
      'SNMP v1/v2c community strings from SecLists Discovery/SNMP (common list first, then the full list). ' +
      'Secrets: never printed; findings name the row id.',
    license: 'MIT',
    origin: 'https://github.com/danielmiessler/SecLists (Discovery/SNMP)',
    sources: LISTS.map(({file}) => ({file, sha256: sha[file]})),
    generatedBy: 'scripts/build-snmp-communities.mjs',
    count: rows.length,
    communities: rows,
  }
  // One row per line: small diffs when upstream lists change.
  const {communities, ...head} = dataset
  const headJson = JSON.stringify(head, null, 2).replace(/\n}$/, '')
  const body = communities.map((r) => `    ${JSON.stringify(r)}`).join(',\n')
  writeFileSync(join(OUT, 'communities.json'), `${headJson},\n  "communities": [\n${body}\n  ]\n}\n`)
  const licence = join(SRC, '..', 'LICENSE')
  if (existsSync(licence)) copyFileSync(licence, join(OUT, 'LICENSE'))
  process.stderr.write(`data/snmp/communities.json: ${rows.length} communities\n`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()
