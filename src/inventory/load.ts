/**
 * Reads a device inventory (CSV, YAML or JSON by extension), validates it against
 * schemas/inventory.schema.json and returns one entry per device with the place it was written, so every
 * problem is reported as file:line:field. Inline secrets are refused before schema validation with a message
 * that never repeats the value.
 */
import {readFileSync} from 'node:fs'
import {extname} from 'node:path'

import {ConfigError} from '../profiles/errors.js'
import {parseLocatedYaml} from '../profiles/yaml-locations.js'
import {schemaErrorMessage, schemaValidator} from '../util/schema.js'
import {CsvSyntaxError, parseCsvRecords} from './csv.js'

export interface InventoryEntry {
  id: string
  host: string
  services?: string[]
  vendor?: string
  model?: string
  firmware?: string
  serial?: string
  profile?: string
  tags?: string[]
  credentialsRef?: string
  /** env:VAR or file:PATH with the device's own user:password lines. */
  loginsRef?: string
  /** Path of the manufacturer's declaration (schemas/declaration.schema.json). */
  declaration?: string
  /** "file:line" of the device's record. */
  at: string
}

/** Field names that would hold a secret in clear: refused with a pointer to credentialsRef. */
const SECRET_FIELDS = new Set(['password', 'passwd', 'pass', 'community', 'communities', 'secret', 'token', 'apikey', 'api_key', 'privatekey', 'private_key', 'psk', 'authkey', 'privkey'])
const LIST_FIELDS = new Set(['services', 'tags'])

interface Located {
  /** Plain data to validate: {devices: [...]}. */
  value: unknown
  /** Location of a JSON pointer inside `value`. */
  locate(pointer: string): string
  /** Location of device `index`'s record. */
  deviceAt(index: number): string
}

export function loadInventory(file: string): InventoryEntry[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError(`--inventory ${file}: ${(error as Error).message}`)
  }
  const ext = extname(file).toLowerCase()
  const located = ext === '.csv' ? fromCsv(text, file) : ['.yaml', '.yml', '.json'].includes(ext) ? fromYaml(text, file) : undefined
  if (!located) throw new ConfigError(`--inventory ${file}: unknown format '${ext || '(none)'}' (use .csv, .yaml, .yml or .json)`)
  const devices = (located.value as {devices?: unknown}).devices
  if (Array.isArray(devices)) refuseInlineSecrets(devices, located)
  const validate = schemaValidator('inventory')
  if (!validate(located.value)) {
    throw new ConfigError(
      `${file}: not a valid inventory`,
      (validate.errors ?? []).map((e) => {
        const field = (e.params as {additionalProperty?: string}).additionalProperty
        const pointer = field ? `${e.instancePath}/${field}` : e.instancePath
        return `${located.locate(pointer)} ${fieldName(pointer)}: ${schemaErrorMessage(e)}`
      }),
    )
  }
  const entries = (devices as Array<Omit<InventoryEntry, 'at'>>).map((d, index) => ({...d, at: located.deviceAt(index)}))
  const seen = new Map<string, string>()
  const duplicates: string[] = []
  for (const entry of entries) {
    const first = seen.get(entry.id)
    if (first) duplicates.push(`${entry.at} id: '${entry.id}' is already used at ${first}`)
    else seen.set(entry.id, entry.at)
  }
  if (duplicates.length > 0) throw new ConfigError(`${file}: device ids must be unique`, duplicates)
  return entries
}

function refuseInlineSecrets(devices: unknown[], located: Located): void {
  const problems: string[] = []
  devices.forEach((d, index) => {
    if (d === null || typeof d !== 'object') return
    for (const key of Object.keys(d)) {
      if (SECRET_FIELDS.has(key.toLowerCase())) {
        problems.push(`${located.locate(`/devices/${index}/${key}`)} ${key}: secrets are never accepted inline; reference them with credentialsRef or loginsRef (env:VAR or file:PATH)`)
      }
    }
  })
  if (problems.length > 0) throw new ConfigError('the inventory holds secrets in clear', problems)
}

function fieldName(pointer: string): string {
  const parts = pointer.split('/').slice(1)
  const last = parts.at(-1)
  if (parts.length <= 2) return last ?? 'inventory'
  // /devices/3/services/1 → services[1]
  return /^\d+$/.test(last ?? '') ? `${parts.at(-2)}[${last}]` : (last ?? '')
}

function fromYaml(text: string, file: string): Located {
  const doc = parseLocatedYaml(text, file)
  const bare = Array.isArray(doc.value)
  // A bare list is the devices array itself: map our {devices: [...]} pointers back onto the document.
  const toDoc = (pointer: string) => (bare ? pointer.replace(/^\/devices/, '') : pointer)
  return {
    value: bare ? {devices: doc.value} : (doc.value ?? {}),
    locate: (pointer) => doc.locate(toDoc(pointer)),
    deviceAt: (index) => doc.locate(toDoc(`/devices/${index}`)).replace(/:\d+$/, ''),
  }
}

function fromCsv(text: string, file: string): Located {
  let records
  try {
    records = parseCsvRecords(text, file)
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ConfigError(`${file}: not valid CSV`, [error.message])
    throw error
  }
  if (records.length === 0) throw new ConfigError(`${file}: empty inventory (expected a header row: id,host,services,…)`)
  const [header, ...rows] = records
  const columns = header!.fields.map((c) => c.trim())
  const secretColumns = columns.filter((c) => SECRET_FIELDS.has(c.toLowerCase()))
  if (secretColumns.length > 0) {
    throw new ConfigError(
      'the inventory holds secrets in clear',
      secretColumns.map((c) => `${file}:${header!.line} ${c}: secrets are never accepted inline; reference them with credentialsRef or loginsRef (env:VAR or file:PATH)`),
    )
  }
  const devices = rows.map((row) => {
    if (row.fields.length > columns.length) {
      throw new ConfigError(`${file}:${row.line}: ${row.fields.length} fields but the header names ${columns.length} columns`)
    }
    const device: Record<string, unknown> = {}
    columns.forEach((column, k) => {
      const raw = (row.fields[k] ?? '').trim()
      if (raw === '') return // an empty cell is an absent field
      device[column] = LIST_FIELDS.has(column) ? raw.split(/[;\s]+/).filter(Boolean) : raw
    })
    return device
  })
  // "file:line" of the row; the message adds the column name (CSV columns have no useful character offset).
  const rowAt = (index: number) => `${file}:${rows[index]?.line ?? 1}`
  return {
    value: {devices},
    locate: (pointer) => {
      const index = pointer.split('/')[2]
      return index === undefined ? `${file}:1` : rowAt(Number(index))
    },
    deviceAt: rowAt,
  }
}
