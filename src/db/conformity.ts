/** The public conformity list document (schemas/conformity.schema.json) and its CSV form. */
import {toolVersion} from '../evidence/version.js'
import {toCsv} from './format.js'
import type {ConformityEntry} from './queries.js'

export const CONFORMITY_VERSION = '1'

export interface ConformityDocument {
  conformityVersion: string
  generatedBy: {name: string; version: string}
  entries: ConformityEntry[]
}

export function conformityDocument(entries: ConformityEntry[]): ConformityDocument {
  return {conformityVersion: CONFORMITY_VERSION, generatedBy: {name: 'sg17scan', version: toolVersion()}, entries}
}

export function conformityCsv(entries: readonly ConformityEntry[]): string {
  return toCsv(entries, [
    {header: 'vendor', value: (e) => e.vendor},
    {header: 'model', value: (e) => e.model},
    {header: 'firmware', value: (e) => e.firmware},
    {header: 'profile_id', value: (e) => e.profile.id},
    {header: 'profile_version', value: (e) => e.profile.version},
    {header: 'profile_sha256', value: (e) => e.profile.sha256},
    {header: 'verdict', value: (e) => e.verdict},
    {header: 'date', value: (e) => e.date},
    {header: 'lab', value: (e) => e.lab},
    {header: 'campaign', value: (e) => e.campaign},
    {header: 'device', value: (e) => e.device},
    {header: 'report_sha256', value: (e) => e.reportSha256},
    {header: 'bundle_manifest_sha256', value: (e) => e.bundleManifestSha256},
    {header: 'signed', value: (e) => (e.signed ? 'yes' : 'no')},
  ])
}
