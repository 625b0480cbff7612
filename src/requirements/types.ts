/**
 * Requirements of a standard as a profile lists them (profile YAML `requirements:`), and the inputs their rules
 * read. A requirement's verdict is never written by hand: a named rule derives it from check outcomes and
 * declaration items (src/requirements/rules.ts).
 */
import type {Declaration} from '../declaration/types.js'
import type {BatchFinding, Finding, Observation} from '../evidence/types.js'

/**
 * How a verdict is derived:
 *  - documentation: no network test replaces it → not_assessed_remotely (a declared not-applicable / not-supported
 *    claim still decides);
 *  - checks: from the listed checks' findings alone;
 *  - checks+declared-crypto: the checks, plus cleartext services seen on interfaces declared encrypted;
 *  - password-scheme: default/guessable logins that worked vs the declared password scheme;
 *  - declared-services: services seen vs the declared services;
 *  - shared-keys: batch findings of keys shared between samples of one model;
 *  - checks-fail-only: the checks test only part of it, so they can show a failure but never a pass: a failure
 *    decides fail, anything else leaves it not_assessed_remotely with what they found (input validation).
 */
export const REQUIREMENT_RULES = ['documentation', 'checks', 'checks+declared-crypto', 'password-scheme', 'declared-services', 'shared-keys', 'checks-fail-only'] as const
export type RequirementRule = (typeof REQUIREMENT_RULES)[number]

/** Rules that reach pass or fail from network tests without any declaration item. */
export const DECIDED_BY_CHECKS: ReadonlySet<RequirementRule> = new Set(['checks', 'checks+declared-crypto', 'shared-keys'])

export interface RequirementDef {
  standard: string
  id: string
  title: string
  level?: 'mandatory' | 'recommended'
  /** Check ids that assess the network-testable part. */
  checks: string[]
  /** Declaration items the rule reads (documentation for the lab; the rule names what it used in decidedBy). */
  declaration: string[]
  rule: RequirementRule
  /** Where the id/title come from, or what is not verified about them. */
  note?: string
  /** Why no network test decides it (rule documentation): the not_assessed_remotely reason says so. */
  notRemote?: string
  /** Test cases of the conformance-assessment specification (ETSI TS 103 701 for EN 303 645), where a named
   *  source gives them (docs/standards.md). */
  testCases?: TestCase[]
}

/** A conformance-assessment test case, e.g. TS 103 701 "5.1-1-2" (functional) with units a) b) c). */
export interface TestCase {
  id: string
  /** conceptual: the manufacturer's information; functional: the device (or processes); both for 5.3-10-1. */
  kind: 'conceptual' | 'functional' | 'conceptual/functional'
  /** Unit letters, e.g. ["a", "b"] (units are written "5.1-1-2a"). */
  units: string[]
}

/** A service seen on the device, as the services-vs-declared comparison reads it. */
export interface ObservedService {
  port: number
  transport: 'tcp' | 'udp'
  protocol: string
  /** Where it was seen: the service id, or a discovery observation id. */
  source: string
}

/**
 * What the scan saw of the device's services: the services probed plus the open ports of a bare-host discovery
 * (src/requirements/assess.ts observedServices).
 */
export interface ObservedServices {
  services: ObservedService[]
  /** True only when a TCP discovery looked at every port, so an undeclared TCP service would have been seen. */
  complete: boolean
  /** Observation ids the list came from (net.ports, net.services). */
  evidence: string[]
  /** What the discovery covered: port ranges per transport, or that none ran. */
  scope: string
  /** One line: how the list was obtained, and what is missing for a complete comparison. */
  method: string
}

/** The batch context of one device: the batch findings about it and its peers (absent: no batch analysis ran). */
export interface BatchContext {
  findings: BatchFinding[]
  /** Other devices of the run, and those declared as the same model. */
  otherDevices: number
  sameModelPeers: number
  /** TLS keys and SSH host keys the device presented. */
  keys: number
}

export interface RequirementInputs {
  findings: readonly Finding[]
  /** The device's observations, for comparisons a finding does not carry (TLS versions accepted vs declared). */
  observations?: readonly Observation[]
  declaration?: Declaration
  observedServices: ObservedServices
  batch?: BatchContext
}
