#!/usr/bin/env node
/**
 * Builds data/credentials/credentials.json from the SecLists default-credential lists (MIT, danielmiessler/SecLists).
 *
 *   node scripts/build-credentials.mjs [SOURCE_DIR]
 *
 * SOURCE_DIR defaults to data/vendor/seclists in this repository (or $SG17_CREDENTIAL_LISTS). Read:
 *   default-passwords.csv             Vendor,Username,Password,Comments (RFC 4180 quoting) → protocols ssh, telnet, http
 *   ssh-betterdefaultpasslist.txt     user:pass (split on the first ':')                    → ssh
 *   telnet-betterdefaultpasslist.txt  user:pass                                             → telnet
 *   mirai-botnet.txt                  user pass (one space)                                 → telnet (Mirai brute-forced Telnet)
 *
 * Normalisation (documented in data/credentials/SOURCE.md):
 *   - `<BLANK>`, `(none)`, and an empty field mean the empty string;
 *   - `<N/A>` / `N/A` as a username means the device asks for no username (empty string); as a password it means
 *     the password is unknown: the row cannot be tried and is dropped; `<SEE COMMENT>` (a per-device password
 *     derived from the MAC address) is dropped too;
 *   - surrounding whitespace of vendor/username/password is kept for username/password (it may be meaningful)
 *     but vendor names are trimmed; vendor case variants (3COM/3Com) merge under the first spelling seen.
 * Rows are merged by (vendor case-folded or none, username, password); every source line is kept in `sources`
 * and protocols are united. Ids are `dc-` + the first 10 hex of SHA-256 over the normalised key: stable across
 * rebuilds and independent of line numbers.
 * Named lists (arrays of row ids, in try order):
 *   generic-top      20 vendor-less pairs ranked by how many source files list the pair (then CSV vendor count)
 *   mirai            the Mirai list in file order
 *   ssh-better       ssh-betterdefaultpasslist.txt in file order
 *   telnet-better    telnet-betterdefaultpasslist.txt in file order
 *   vendor-defaults  every vendor row, CSV order (filtered at run time by the declared vendor)
 * Passwords are secrets in any output of sg17scan: the scanner names the row id (and the username) only.
 */
import {createHash} from 'node:crypto'
import {copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SRC = process.argv[2] ?? process.env.SG17_CREDENTIAL_LISTS ?? join(ROOT, 'data', 'vendor', 'seclists')
const OUT = join(ROOT, 'data', 'credentials')
export const GENERIC_TOP_SIZE = 20

export const FILES = {
  csv: 'default-passwords.csv',
  ssh: 'ssh-betterdefaultpasslist.txt',
  telnet: 'telnet-betterdefaultpasslist.txt',
  mirai: 'mirai-botnet.txt',
}

const EMPTY_MARKERS = new Set(['<BLANK>', '(none)'])
const NA_MARKERS = new Set(['<N/A>', 'N/A'])
const DROP_MARKERS = new Set(['<SEE COMMENT>'])

/** A field after marker normalisation; `null` when the row cannot be tried. */
export function normaliseField(value, role) {
  if (EMPTY_MARKERS.has(value)) return ''
  if (NA_MARKERS.has(value)) return role === 'username' ? '' : null
  if (DROP_MARKERS.has(value)) return null
  return value
}

/** RFC 4180 records (quoted fields may hold commas, doubled quotes, newlines). */
export function parseCsv(text) {
  const records = []
  let field = ''
  let record = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field === '') quoted = true
    else if (c === ',') {
      record.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      record.push(field)
      records.push(record)
      record = []
      field = ''
    } else field += c
  }
  if (field !== '' || record.length > 0) {
    record.push(field)
    records.push(record)
  }
  return records
}

export function credentialId(vendorKey, username, password) {
  return 'dc-' + createHash('sha256').update(JSON.stringify([vendorKey, username, password])).digest('hex').slice(0, 10)
}

/** Source texts → {credentials, lists}; pure, exported for the drift test. */
export function buildDataset(texts) {
  const rows = new Map()
  const lists = {'generic-top': [], mirai: [], 'ssh-better': [], 'telnet-better': [], 'vendor-defaults': []}
  const add = (vendor, username, password, protocols, file, line, list) => {
    if (username === null || password === null) return
    const vendorKey = vendor === null ? '' : vendor.toLowerCase()
    const id = credentialId(vendorKey, username, password)
    let row = rows.get(id)
    if (!row) {
      row = {id, vendor, protocols: [], username, password, sources: []}
      rows.set(id, row)
    }
    for (const p of protocols) if (!row.protocols.includes(p)) row.protocols.push(p)
    row.protocols.sort()
    row.sources.push({file, line})
    if (!lists[list].includes(id)) lists[list].push(id)
  }
  const csv = parseCsv(texts.csv)
  csv.slice(1).forEach((rec, index) => {
    if (rec.length < 3) return
    const vendor = rec[0].trim()
    if (vendor === '') return
    add(vendor, normaliseField(rec[1], 'username'), normaliseField(rec[2], 'password'), ['http', 'ssh', 'telnet'], FILES.csv, index + 2, 'vendor-defaults')
  })
  const lines = (text) => {
    const all = text.split('\n')
    if (all.at(-1) === '') all.pop()
    return all.map((l) => l.replace(/\r$/, ''))
  }
  for (const [key, list, protocol] of [['ssh', 'ssh-better', 'ssh'], ['telnet', 'telnet-better', 'telnet']]) {
    lines(texts[key]).forEach((l, index) => {
      const at = l.indexOf(':')
      if (at < 0) return
      add(null, normaliseField(l.slice(0, at), 'username'), normaliseField(l.slice(at + 1), 'password'), [protocol], FILES[key], index + 1, list)
    })
  }
  lines(texts.mirai).forEach((l, index) => {
    const at = l.indexOf(' ')
    if (at < 0) return
    add(null, normaliseField(l.slice(0, at), 'username'), normaliseField(l.slice(at + 1), 'password'), ['telnet'], FILES.mirai, index + 1, 'mirai')
  })
  // generic-top: pairs of the vendor-less lists, ranked by the number of source files naming the pair anywhere.
  const pairKey = (r) => JSON.stringify([r.username, r.password])
  const filesByPair = new Map()
  const vendorsByPair = new Map()
  for (const r of rows.values()) {
    const k = pairKey(r)
    const files = filesByPair.get(k) ?? new Set()
    for (const s of r.sources) files.add(s.file)
    filesByPair.set(k, files)
    if (r.vendor !== null) vendorsByPair.set(k, (vendorsByPair.get(k) ?? 0) + 1)
  }
  const generic = [...rows.values()].filter((r) => r.vendor === null)
  generic.sort((a, b) => {
    const ka = pairKey(a)
    const kb = pairKey(b)
    return filesByPair.get(kb).size - filesByPair.get(ka).size || (vendorsByPair.get(kb) ?? 0) - (vendorsByPair.get(ka) ?? 0) || (ka < kb ? -1 : ka > kb ? 1 : 0)
  })
  lists['generic-top'] = generic.slice(0, GENERIC_TOP_SIZE).map((r) => r.id)
  return {credentials: [...rows.values()], lists}
}

function main() {
  const texts = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, readFileSync(join(SRC, f), 'utf8')]))
  const {credentials, lists} = buildDataset(texts)
  const sha = Object.fromEntries(Object.values(FILES).map((f) => [f, createHash('sha256').update(readFileSync(join(SRC, f))).digest('hex')]))
  mkdirSync(OUT, {recursive: true})
  writeFileSync(join(OUT, 'credentials.json'), renderDataset(credentials, lists, sha))
  const licence = join(SRC, 'LICENSE')
  if (existsSync(licence)) copyFileSync(licence, join(OUT, 'LICENSE'))
  process.stderr.write(`data/credentials/credentials.json: ${credentials.length} credentials\n`)
}

/** One row per line: small diffs when upstream lists change. */
export function renderDataset(credentials, lists, sha) {
  const head = {
    id: 'seclists-default-credentials',
    description: 'Default and weak login credentials from SecLists (vendor defaults, SSH/Telnet better-default lists, Mirai). Secrets: never printed; findings name the row id and username.',
    license: 'MIT',
    origin: 'https://github.com/danielmiessler/SecLists (Passwords/Default-Credentials, Passwords/Malware)',
    sources: Object.values(FILES).map((file) => ({file, sha256: sha[file]})),
    generatedBy: 'scripts/build-credentials.mjs',
    count: credentials.length,
  }
  const headJson = JSON.stringify(head, null, 2).replace(/\n}$/, '')
  const listJson = Object.entries(lists).map(([k, ids]) => `    ${JSON.stringify(k)}: ${JSON.stringify(ids)}`).join(',\n')
  const body = credentials.map((r) => `    ${JSON.stringify(r)}`).join(',\n')
  return `${headJson},\n  "lists": {\n${listJson}\n  },\n  "credentials": [\n${body}\n  ]\n}\n`
}

export function buildFromDir(dir) {
  const texts = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, readFileSync(join(dir, f), 'utf8')]))
  const {credentials, lists} = buildDataset(texts)
  const sha = Object.fromEntries(Object.values(FILES).map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]))
  return renderDataset(credentials, lists, sha)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()
