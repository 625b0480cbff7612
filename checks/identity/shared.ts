/**
 * Helpers shared by the identity checks (family "identity"): a defensive reader of the `device.identity` payload
 * and reference constants (standards-mapping.md §1.1, §2.1, §3.2; no [U] clause is cited: X.1528 is cited
 * without a clause, WTSA Resolution 96 is not in the mapping and is not cited).
 */
import type {Observation, Reference} from '../../src/evidence/types.js'
import type {IdentityRecord} from '../../src/identity/types.js'
import {cwe, itu} from '../../src/checks/references.js'

export {P_DEVICE_IDENTITY, IDENTITY_SOURCES} from '../../src/identity/types.js'

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [])
const records = <T>(v: unknown): T[] => (Array.isArray(v) ? (v.filter(isRecord) as T[]) : [])

/** The identity record with every list present (a malformed payload reads as "nothing observed"). */
export function readIdentity(o: Observation | undefined): IdentityRecord {
  const d = isRecord(o?.data) ? o.data : {}
  const observed = isRecord(d.observed) ? d.observed : {}
  return {
    tls: records(d.tls),
    ssh: records(d.ssh),
    snmp: records(d.snmp),
    http: records(d.http),
    banners: records(d.banners),
    upnp: records(d.upnp),
    servers: records(d.servers),
    products: records(d.products),
    cpe: strings(d.cpe),
    observed: {vendors: strings(observed.vendors), models: strings(observed.models), firmware: strings(observed.firmware), versions: strings(observed.versions)},
    sources: strings(d.sources),
  }
}


export const REF = {
  X1352_CRYPTO: itu('X.1352', '§8.2'),
  X1528: itu('X.1528'),
  EN_5_4_3: {framework: 'ETSI EN 303 645', id: '5.4-3'},
  EN_5_4_4: {framework: 'ETSI EN 303 645', id: '5.4-4'},
  CR_1_5: {framework: 'IEC 62443-4-2', id: 'CR 1.5'},
  CR_4_3: {framework: 'IEC 62443-4-2', id: 'CR 4.3'},
  cwe,
} as const satisfies Record<string, Reference | ((n: number) => Reference)>
