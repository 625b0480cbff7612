import type {DeviceCheck} from '../../src/checks/types.js'
import type {DeclaredIdentity} from '../../src/evidence/types.js'
import {identityTexts} from '../../src/identity/derive.js'
import {mentions, sameVendor, sameVersion, vendorSpellings} from '../../src/identity/names.js'
import type {IdentityRecord} from '../../src/identity/types.js'
import {IDENTITY_SOURCES, P_DEVICE_IDENTITY, readIdentity, REF} from './shared.js'

type Verdict = {state: 'confirmed' | 'contradicted' | 'unknown'; detail: string}

const quote = (s: string) => JSON.stringify(s)
const listOf = (items: readonly string[]) => items.map(quote).join(', ')

/** Everything the device said about itself, as text (banners, sysDescr, Server header, titles, certificate subject). */
function allTexts(r: IdentityRecord): string[] {
  return [...identityTexts(r).map((t) => t.text), ...r.products.map((p) => `${p.vendor} ${p.product}`)]
}

function judgeVendor(declared: string, r: IdentityRecord): Verdict {
  const matching = r.observed.vendors.filter((v) => sameVendor(v, declared))
  if (matching.length > 0) return {state: 'confirmed', detail: `vendor ${quote(declared)} matches the observed vendor ${listOf(matching)}`}
  const spellings = vendorSpellings(declared)
  if (allTexts(r).some((t) => spellings.some((s) => mentions(t, s)))) {
    return {state: 'confirmed', detail: `vendor ${quote(declared)} is named by the device`}
  }
  if (r.observed.vendors.length > 0) {
    return {state: 'contradicted', detail: `declared vendor ${quote(declared)} but the device identifies as ${listOf(r.observed.vendors)}`}
  }
  // No known product names a maker, but the device's own certificate names an organisation that is not the
  // declared vendor, and nothing the device says names the declared one. (An operator-installed certificate
  // names the operator: the message says where the name comes from so a reviewer can tell.)
  const organisations = certificateOrganisations(r)
  if (organisations.length > 0) {
    return {state: 'contradicted', detail: `declared vendor ${quote(declared)} but the device's certificate subject names the organisation ${listOf(organisations)}`}
  }
  return {state: 'unknown', detail: `vendor ${quote(declared)} not identifiable from what the device exposes`}
}

/** O= values of the device certificates' subjects (RFC 4514 string form, escaped commas respected). */
function certificateOrganisations(r: IdentityRecord): string[] {
  const out = new Set<string>()
  for (const t of r.tls) {
    for (const m of (t.subject ?? '').matchAll(/(?:^|,)\s*O=((?:\\.|[^,\\])+)/g)) out.add(m[1]!.replace(/\\(.)/g, '$1').trim())
  }
  return [...out].filter(Boolean).sort()
}

function judgeModel(declared: string, r: IdentityRecord): Verdict {
  if (r.observed.models.some((m) => mentions(m, declared) || mentions(declared, m))) {
    return {state: 'confirmed', detail: `model ${quote(declared)} matches the observed model`}
  }
  if (allTexts(r).some((t) => mentions(t, declared))) return {state: 'confirmed', detail: `model ${quote(declared)} is named by the device`}
  if (r.observed.models.length > 0) {
    return {state: 'contradicted', detail: `declared model ${quote(declared)} but the device reports ${listOf(r.observed.models)}`}
  }
  return {state: 'unknown', detail: `model ${quote(declared)} not identifiable`}
}

function judgeFirmware(declared: string, r: IdentityRecord): Verdict {
  if (r.observed.firmware.some((v) => sameVersion(v, declared))) {
    return {state: 'confirmed', detail: `firmware ${quote(declared)} matches the firmware version the device reports`}
  }
  if (r.observed.firmware.length > 0) {
    return {state: 'contradicted', detail: `declared firmware ${quote(declared)} but the device reports firmware ${listOf(r.observed.firmware)}`}
  }
  if (r.observed.versions.some((v) => sameVersion(v, declared))) {
    return {state: 'confirmed', detail: `firmware ${quote(declared)} appears among the versions the device reports`}
  }
  return {state: 'unknown', detail: `firmware ${quote(declared)} not identifiable (versions seen: ${r.observed.versions.length ? listOf(r.observed.versions) : 'none'})`}
}

const JUDGES: Array<[keyof DeclaredIdentity, (declared: string, r: IdentityRecord) => Verdict]> = [
  ['vendor', judgeVendor],
  ['model', judgeModel],
  ['firmware', judgeFirmware],
]

export const check: DeviceCheck = {
  id: 'identity.declared-mismatch',
  title: 'Declared identity matches the device',
  family: 'identity',
  scope: 'device',
  description:
    'Compares the vendor, model and firmware declared for a sample (inventory) with what the device itself ' +
    'exposes: SNMP sysDescr/sysObjectID, SSH/Telnet/FTP banners, HTTP Server header and page title, TLS ' +
    'certificate subject, the UPnP device description (manufacturer, model, firmware), SSDP/RTSP/MQTT server ' +
    'strings and the CPE (ITU-T X.1528) names recognised in them. Fails when what is observed ' +
    'contradicts the declaration, an indicator of a counterfeit, relabelled or wrongly documented product.',
  remediation:
    'Investigate the sample: check the declaration, the product label and the firmware actually installed; a ' +
    'manufacturer should ship the firmware it declares and identify the product consistently on every interface.',
  defaultSeverity: 'medium',
  intrusive: false,
  protocols: [],
  reads: [P_DEVICE_IDENTITY],
  sources: IDENTITY_SOURCES,
  references: [REF.X1528],
  evaluate(input) {
    const declared = input.declared ?? {}
    const asked = JUDGES.filter(([field]) => typeof declared[field] === 'string' && declared[field]!.trim() !== '')
    if (asked.length === 0) {
      return {outcome: 'not_applicable', message: 'No vendor, model or firmware was declared for this device.'}
    }
    const r = readIdentity(input.observations[P_DEVICE_IDENTITY])
    const results = asked.map(([field, judgeField]) => ({field, ...judgeField(declared[field]!.trim(), r)}))
    const contradicted = results.filter((x) => x.state === 'contradicted')
    const confirmed = results.filter((x) => x.state === 'confirmed')
    const unknown = results.filter((x) => x.state === 'unknown')
    const tail = (items: typeof results, label: string) => (items.length ? ` ${label}: ${items.map((x) => x.detail).join('; ')}.` : '')
    if (contradicted.length > 0) {
      return {
        outcome: 'fail',
        message: `The device contradicts its declared ${contradicted.map((x) => x.field).join(', ')}: ${contradicted.map((x) => x.detail).join('; ')}.${tail(confirmed, 'Confirmed')}`,
      }
    }
    if (confirmed.length > 0) {
      return {
        outcome: 'pass',
        message: `Observed identity confirms the declared ${confirmed.map((x) => x.field).join(', ')}: ${confirmed.map((x) => x.detail).join('; ')}.${tail(unknown, 'Not verifiable')}`,
      }
    }
    return {outcome: 'inconclusive', message: `Nothing the device exposes identifies it: ${unknown.map((x) => x.detail).join('; ')}.`}
  },
}
