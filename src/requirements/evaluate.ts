/**
 * The requirement evaluator: a pure function of one requirement definition and a device's inputs (findings,
 * declaration, services seen, batch context) → its verdict, what decided it and why. No I/O, no clock.
 */
import {checkById} from '../../checks/index.js'
import {severityRank} from '../engine/verdict.js'
import {P_DEVICE_EXPOSURE} from '../exposure/types.js'
import type {Declaration, RequirementClaim} from '../declaration/types.js'
import type {Finding, RequirementResult, RequirementVerdict} from '../evidence/types.js'
import type {ObservedService, RequirementDef, RequirementInputs} from './types.js'

type Decision = {verdict: RequirementVerdict; reason: string; findings?: string[]; declaration?: string[]}

export const findingRef = (f: Pick<Finding, 'check' | 'service'>): string => `${f.check}@${f.service}`

const TLS_VERSIONS = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']

/** Always cleartext: a login or management session over them is readable on the path. */
const CLEARTEXT_PROTOCOLS = new Set(['telnet', 'ftp'])
/** Cleartext only when a check saw it so (an HTTP port that only redirects to HTTPS, SNMPv3 with privacy are not). */
const CLEARTEXT_WHEN_FAILED: Record<string, readonly string[]> = {
  http: ['http.admin.no-https', 'pii.http.cleartext-credentials'],
  snmp: ['snmp.v1v2c.enabled'],
}

function cleartext(s: ObservedService, findings: readonly Finding[]): boolean {
  if (CLEARTEXT_PROTOCOLS.has(s.protocol)) return true
  const checks = CLEARTEXT_WHEN_FAILED[s.protocol] ?? []
  return findings.some((f) => f.service === s.source && f.outcome === 'fail' && checks.includes(f.check))
}

export function evaluateRequirement(def: RequirementDef, inputs: RequirementInputs): RequirementResult {
  const claim = findClaim(inputs.declaration, def)
  const decision = withClaim(def, claim, decide(def, inputs))
  return {
    standard: def.standard,
    id: def.id,
    title: def.title,
    ...(def.level ? {level: def.level} : {}),
    rule: def.rule,
    verdict: decision.verdict,
    decidedBy: {
      findings: uniq(decision.findings ?? []),
      checks: [...def.checks],
      declaration: uniq([...(decision.declaration ?? []), ...(claim ? [claim.ref] : [])]),
    },
    reason: decision.reason,
  }
}

export function evaluateRequirements(defs: readonly RequirementDef[], inputs: RequirementInputs): RequirementResult[] {
  return defs.map((d) => evaluateRequirement(d, inputs))
}

function decide(def: RequirementDef, inputs: RequirementInputs): Decision {
  switch (def.rule) {
    case 'documentation':
      return documentation(def, inputs.declaration)
    case 'checks':
      return fromChecks(def, inputs.findings)
    case 'checks+declared-crypto':
      return checksAndDeclaredCrypto(def, inputs)
    case 'password-scheme':
      return passwordScheme(def, inputs)
    case 'declared-services':
      return declaredServices(def, inputs)
    case 'shared-keys':
      return sharedKeys(def, inputs)
    case 'checks-fail-only':
      return failOnly(def, inputs)
  }
}

/** The manufacturer's claim about this requirement, with its place in the declaration. */
function findClaim(declaration: Declaration | undefined, def: RequirementDef): (RequirementClaim & {ref: string}) | undefined {
  const index = declaration?.claims?.findIndex((c) => c.standard === def.standard && c.requirement === def.id) ?? -1
  return index >= 0 ? {...declaration!.claims![index]!, ref: `claims[${index}]`} : undefined
}

/**
 * A failure seen on the device stands whatever was declared. Otherwise a claim decides where the rule could not
 * decide from tests: "not applicable" (with the justification) → not_applicable; "not supported" → fail for a
 * mandatory requirement, not_applicable with the justification for a recommendation (EN 303 645 clause 4 lets
 * a manufacturer leave a recommendation out with a justification).
 */
function withClaim(def: RequirementDef, claim: (RequirementClaim & {ref: string}) | undefined, d: Decision): Decision {
  if (!claim || d.verdict === 'fail') {
    if (claim && d.verdict === 'fail' && claim.support !== 'not_supported') return {...d, reason: `${d.reason} (declared ${claim.support.replace('_', ' ')})`}
    return d
  }
  const why = claim.justification ? `: ${claim.justification}` : ' (no justification given)'
  if (claim.support === 'not_applicable') {
    if (d.verdict === 'pass') return {...d, reason: `${d.reason}; declared not applicable${why}`}
    return {verdict: 'not_applicable', reason: `declared not applicable${why}`, findings: d.findings}
  }
  if (claim.support === 'not_supported') {
    if (def.level === 'recommended') return {verdict: 'not_applicable', reason: `recommendation declared not supported${why}`, findings: d.findings}
    return {verdict: 'fail', reason: `declared not supported${why}`, findings: d.findings}
  }
  return d.verdict === 'not_assessed_remotely' ? {...d, reason: `declared supported${claim.justification ? ` (${claim.justification})` : ''}; ${d.reason}`} : d
}

function documentation(def: RequirementDef, declaration: Declaration | undefined): Decision {
  const items = def.declaration.filter((item) => declaration && valueAt(declaration, item) !== undefined)
  const shown = items.map((item) => `${item} = ${summarise(valueAt(declaration!, item))}`)
  return {
    verdict: 'not_assessed_remotely',
    reason: `needs review of the manufacturer's documentation or the device itself; no network test decides it${def.notRemote ? `: ${def.notRemote}` : ''}${shown.length ? ` (declared: ${shown.join('; ')})` : ''}`,
    declaration: items,
  }
}

/** Outcome of the listed checks on this device: fail beats everything, then gaps, then pass, then n/a. */
function fromChecks(def: RequirementDef, findings: readonly Finding[]): Decision {
  const mine = findings.filter((f) => def.checks.includes(f.check))
  const refs = (fs: Finding[]) => fs.map(findingRef)
  // Worst first: the reason leads with what matters most (a NULL cipher before a CBC mode).
  const failed = mine.filter((f) => f.outcome === 'fail').sort((a, b) => severityRank(b.severity) - severityRank(a.severity))
  if (failed.length > 0) {
    return {verdict: 'fail', reason: `failed: ${failed.map((f) => `${f.check} on ${f.service} (${f.message})`).join('; ')}`, findings: refs(failed)}
  }
  const skipped = mine.filter((f) => f.outcome === 'not_tested' && checkById(f.check)?.intrusive)
  const gaps = mine.filter((f) => f.outcome === 'error' || f.outcome === 'inconclusive' || (f.outcome === 'not_tested' && !skipped.includes(f)))
  if (gaps.length > 0 || skipped.length > 0) {
    const parts = [
      ...gaps.map((f) => `${f.check} on ${f.service} is ${f.outcome} (${f.message})`),
      ...(skipped.length ? [`intrusive check(s) not run: ${uniq(skipped.map((f) => f.check)).join(', ')} (enable with --intrusive)`] : []),
    ]
    return {verdict: 'inconclusive', reason: parts.join('; '), findings: refs([...gaps, ...skipped])}
  }
  const passed = mine.filter((f) => f.outcome === 'pass')
  if (passed.length > 0) {
    const services = uniq(passed.map((f) => f.service))
    return {verdict: 'pass', reason: `${passed.length} finding(s) of ${uniq(passed.map((f) => f.check)).length} check(s) passed on ${services.join(', ')}`, findings: refs(passed)}
  }
  if (mine.length > 0) {
    return {verdict: 'not_applicable', reason: `not applicable to the services seen: ${mine.map((f) => `${f.check} on ${f.service}: ${f.message}`).join('; ')}`, findings: refs(mine)}
  }
  // Observed not to apply: none of the services seen is of a kind these checks test (e.g. no Telnet, FTP or
  // HTTP service for the cleartext checks). The services-vs-declared rule says whether others were looked for.
  // Traced to the device's attack-surface findings (svc.exposed.*), whose evidence lists every service seen.
  const surface = findings.filter((f) => f.outcome !== 'not_tested' && (checkById(f.check)?.reads as readonly string[] | undefined)?.includes(P_DEVICE_EXPOSURE))
  const seenAs = surface.length > 0 ? ` (services seen: see ${uniq(surface.map((f) => f.check)).join(', ')})` : ''
  return {verdict: 'not_applicable', reason: `none of its checks (${def.checks.join(', ')}) applies to the services seen${seenAs}`, findings: refs(surface)}
}

/**
 * Checks that test only part of a requirement (a few malformed inputs on one interface for "input validated"): a
 * failure is positive evidence against it; a pass is not evidence for it, so the requirement stays
 * not_assessed_remotely, its reason saying what the checks found and what else decides it (notRemote).
 */
function failOnly(def: RequirementDef, inputs: RequirementInputs): Decision {
  const tests = fromChecks(def, inputs.findings)
  if (tests.verdict === 'fail') return tests
  const found =
    tests.verdict === 'pass' ? `its network test found no fault (${tests.reason})` : tests.verdict === 'inconclusive' ? `its network test did not decide (${tests.reason})` : `its network test does not apply here (${tests.reason})`
  return {verdict: 'not_assessed_remotely', reason: `${found}; a network test can show a failure of this requirement, never its fulfilment${def.notRemote ? `: ${def.notRemote}` : ''}`, findings: tests.findings}
}

function checksAndDeclaredCrypto(def: RequirementDef, inputs: RequirementInputs): Decision {
  const fromTests = fromChecks(def, inputs.findings)
  const d = inputs.declaration
  if (!d) return fromTests
  const contradictions: string[] = []
  const items: string[] = []
  for (const s of inputs.observedServices.services) {
    if (!cleartext(s, inputs.findings)) continue
    if (d.encryptedManagementOnly) {
      contradictions.push(`${s.protocol} on ${s.port}/${s.transport} is cleartext but the declaration says every management interface is encrypted`)
      items.push('encryptedManagementOnly')
    }
    const index = (d.crypto ?? []).findIndex((c) => c.encrypted && c.port === s.port && (c.transport ?? 'tcp') === s.transport)
    if (index >= 0) {
      contradictions.push(`${s.protocol} on ${s.port}/${s.transport} is cleartext but crypto[${index}] (${d.crypto![index]!.interface}) declares it encrypted`)
      items.push(`crypto[${index}]`)
    }
  }
  // Declared TLS versions per interface vs the versions the service accepted (tls.protocols).
  for (const [index, c] of (d.crypto ?? []).entries()) {
    const declaredVersions = (c.mechanisms ?? []).filter((m) => TLS_VERSIONS.includes(m))
    if (c.port === undefined || declaredVersions.length === 0) continue
    const service = inputs.observedServices.services.find((s) => s.port === c.port && s.transport === (c.transport ?? 'tcp') && (s.protocol === 'tls' || s.protocol === 'https'))
    const seen = service && inputs.observations?.find((o) => o.service === service.source && o.probe === 'tls.protocols' && !o.error)
    if (!seen) continue
    const extra = TLS_VERSIONS.filter((v) => seen.data[v] === true && !declaredVersions.includes(v))
    if (extra.length > 0) {
      contradictions.push(`${service.source} accepts ${extra.join(', ')} but crypto[${index}] (${c.interface}) declares only ${declaredVersions.join(', ')} (observation ${seen.id})`)
      items.push(`crypto[${index}]`)
    }
  }
  if (contradictions.length === 0) return fromTests
  return {
    verdict: 'fail',
    reason: [`declaration contradicted: ${uniq(contradictions).join('; ')}`, ...(fromTests.verdict === 'fail' ? [fromTests.reason] : [])].join('; '),
    findings: fromTests.findings,
    declaration: items,
  }
}

function passwordScheme(def: RequirementDef, inputs: RequirementInputs): Decision {
  const tests = fromChecks(def, inputs.findings)
  const scheme = inputs.declaration?.accounts?.passwordScheme
  const item = scheme ? ['accounts.passwordScheme'] : []
  if (tests.verdict === 'fail') {
    const contradiction = scheme && scheme !== 'none' ? ` — contradicts the declared password scheme '${scheme}'` : scheme === 'none' ? ` — the declaration says no passwords are used` : ''
    return {...tests, reason: `a default or guessable credential worked${contradiction}: ${tests.reason.replace(/^failed: /, '')}`, declaration: item}
  }
  if (tests.verdict === 'inconclusive') return {...tests, declaration: item}
  if (tests.verdict === 'not_applicable') {
    return {...tests, reason: `no password-based login found on the services scanned${scheme ? ` (declared scheme '${scheme}')` : ''}: ${tests.reason.replace(/^not applicable to the services seen: /, '')}`, declaration: item}
  }
  // Passed: no dataset credential worked. Uniqueness per device (or a user-set password) is the manufacturer's
  // statement: without it a negative login test is not positive evidence of the requirement.
  if (scheme === 'unique-per-device' || scheme === 'user-set-at-first-use') {
    return {verdict: 'pass', reason: `no default or dictionary credential worked (${tests.reason}); declared password scheme '${scheme}'`, findings: tests.findings, declaration: item}
  }
  if (scheme === 'none') {
    return {verdict: 'not_applicable', reason: `declared: no password-based login; no default or dictionary credential worked either (${tests.reason})`, findings: tests.findings, declaration: item}
  }
  return {verdict: 'inconclusive', reason: `no default or dictionary credential worked (${tests.reason}), but passwords unique per device or set by the user need the declared password scheme (accounts.passwordScheme)`, findings: tests.findings}
}

/**
 * Services seen vs declared (5.6-1 / 5.6-5, GEC-2, X.1352 8.4 security management). A service that answers but
 * is not declared, or is declared disabled by default, fails. A declared service that is enabled by default but
 * was not seen does not: these requirements limit what is exposed (unused interfaces disabled, only services
 * used enabled), and fewer services than declared exposes less; it is named in the reason, since the device
 * may not be in its factory default state or the declaration may be out of date. A pass needs a discovery of
 * every TCP port; the scope it covered is in the reason. The svc.exposed.* findings about the same comparison
 * are cited as evidence.
 */
function declaredServices(def: RequirementDef, inputs: RequirementInputs): Decision {
  const declared = inputs.declaration?.services
  const seen = inputs.observedServices
  const cited = inputs.findings.filter((f) => def.checks.includes(f.check) && f.outcome !== 'not_tested').map(findingRef)
  if (!declared) return {verdict: 'inconclusive', reason: `comparing the services seen (${describe(seen.services)}) needs the declared services (declaration services)`, findings: cited}
  const problems: string[] = []
  for (const s of seen.services) {
    const index = declared.findIndex((d) => d.port === s.port && d.transport === s.transport)
    if (index < 0) problems.push(`${s.protocol} on ${s.port}/${s.transport} is not declared`)
    else if (!declared[index]!.enabledByDefault) problems.push(`${s.protocol} on ${s.port}/${s.transport} answers but services[${index}] declares it disabled by default`)
  }
  if (problems.length > 0) return {verdict: 'fail', reason: `services seen vs declared: ${problems.join('; ')} (${seen.scope})`, findings: cited, declaration: ['services']}
  if (!seen.complete) {
    return {
      verdict: 'inconclusive',
      reason: `the ${seen.services.length} service(s) seen (${describe(seen.services)}) are all declared, but ${seen.method}: an undeclared service elsewhere could not have been seen`,
      findings: cited,
      declaration: ['services'],
    }
  }
  const missing = declared
    .map((d, i) => ({d, i}))
    .filter(({d}) => d.enabledByDefault && !seen.services.some((s) => s.port === d.port && s.transport === d.transport))
    .map(({d, i}) => `services[${i}] ${d.protocol} ${d.port}/${d.transport}${d.transport === 'udp' ? ' (UDP: seen only if it answers a discovery probe)' : ''}`)
  const note = missing.length > 0 ? `; declared enabled by default but not seen (exposes less than declared, not a failure of this requirement; is the device in its factory default state, is the declaration current?): ${missing.join(', ')}` : ''
  return {verdict: 'pass', reason: `every service seen (${describe(seen.services)}) is declared; ${seen.method}${note}`, findings: cited, declaration: ['services']}
}

function sharedKeys(def: RequirementDef, inputs: RequirementInputs): Decision {
  const batch = inputs.batch
  if (!batch) return {verdict: 'inconclusive', reason: `one sample cannot show that its keys are unique per device: scan a second sample of the same model (same declared vendor and model) in the run (--inventory with both) or merge its report (report merge); this run had no other device to compare with`}
  const mine = batch.findings.filter((f) => def.checks.includes(f.check))
  // Worst first: the reason leads with what matters most (a NULL cipher before a CBC mode).
  const failed = mine.filter((f) => f.outcome === 'fail').sort((a, b) => severityRank(b.severity) - severityRank(a.severity))
  if (failed.length > 0) {
    return {verdict: 'fail', reason: `key shared with other devices: ${failed.map((f) => f.message).join(' ')}`, findings: uniq(failed.map((f) => `batch:${f.check}`))}
  }
  const broken = mine.filter((f) => f.outcome === 'error' || f.outcome === 'inconclusive')
  if (broken.length > 0) return {verdict: 'inconclusive', reason: broken.map((f) => `${f.check}: ${f.message}`).join('; '), findings: uniq(broken.map((f) => `batch:${f.check}`))}
  if (batch.keys === 0) return {verdict: 'not_assessed_remotely', reason: 'the device presented no TLS key or SSH host key over the network; its other keys need the manufacturer\'s information'}
  if (batch.sameModelPeers === 0) {
    return {verdict: 'inconclusive', reason: `its ${batch.keys} key(s) differ from those of the ${batch.otherDevices} other device(s) of the run, but none is declared as the same model: the test compares two samples of one model (declare the vendor and model of each, e.g. in the declaration's identity or the inventory)`}
  }
  return {
    verdict: 'pass',
    reason: `its ${batch.keys} key(s) differ from those of ${batch.sameModelPeers} other sample(s) of the same model and of all ${batch.otherDevices} other device(s) of the run`,
    findings: uniq(mine.map((f) => `batch:${f.check}`)),
  }
}

/** A value at a dotted path ("accounts.passwordScheme", "vulnerabilityDisclosure"). */
function valueAt(declaration: Declaration, path: string): unknown {
  let v: unknown = declaration
  for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined
  return v
}

function summarise(v: unknown): string {
  if (Array.isArray(v)) return `${v.length} entr${v.length === 1 ? 'y' : 'ies'}`
  if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}: ${typeof x === 'object' ? JSON.stringify(x) : String(x)}`).join(', ')
  return String(v)
}

const describe = (services: ObservedService[]) => services.map((s) => `${s.protocol} ${s.port}/${s.transport}`).join(', ') || 'none'
const uniq = <T>(items: T[]): T[] => [...new Set(items)]
