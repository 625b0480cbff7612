/**
 * The manufacturer's declarations of some lab devices, built from the ports each started on (a manufacturer
 * declares its real ports; the lab's are chosen at start). Used by `scan --lab` with a profile that lists
 * requirements, so the requirement rules have a declaration to compare against:
 *  - good-gateway (and its second sample good-gateway-2), strong-hub, secure-admin: truthful declarations (the
 *    secure devices);
 *  - default-router: declares passwords unique per device, which its factory default logins contradict.
 */
import type {Declaration} from '../declaration/types.js'

type Port = {protocol: string; port: number; transport: 'tcp' | 'udp'}

function ports(targets: readonly string[]): Port[] {
  return targets.map((t) => {
    const u = /^([a-z]+):\/\/[^/]*:(\d+)/.exec(t)
    if (!u) throw new Error(`lab target without a port: ${t}`)
    return {protocol: u[1]!, port: Number(u[2]), transport: u[1] === 'snmp' ? 'udp' : 'tcp'}
  })
}

const ENCRYPTED = new Set(['tls', 'https', 'ssh'])

function services(targets: readonly string[], purpose: Record<string, string>): Pick<Declaration, 'services' | 'crypto'> {
  const seen = ports(targets)
  return {
    services: seen.map((p) => ({...p, purpose: purpose[p.protocol] ?? 'management', enabledByDefault: true})),
    crypto: seen.map((p) => ({
      interface: purpose[p.protocol] ?? 'management',
      port: p.port,
      transport: p.transport,
      protocol: p.protocol,
      encrypted: ENCRYPTED.has(p.protocol),
      ...(p.protocol === 'tls' || p.protocol === 'https' ? {mechanisms: ['TLSv1.2', 'TLSv1.3']} : p.protocol === 'ssh' ? {mechanisms: ['SSH-2.0']} : {}),
    })),
  }
}

const VENDOR_FACTS: Omit<Declaration, 'identity'> = {
  update: {mechanism: 'signed firmware image fetched over HTTPS', automatic: true, authenticity: 'Ed25519 signature verified against a key in boot ROM'},
  supportPeriodEnd: '2031-12-31',
  vulnerabilityDisclosure: {contact: 'security@lab.invalid', url: 'https://lab.invalid/security'},
}

/** Both samples of the good-gateway model make the same declaration (services on the ports each started on). */
const goodGatewayDeclaration = (targets: readonly string[]): Declaration => ({
  identity: {vendor: 'sg17scan lab', model: 'good-gateway'},
  ...services(targets, {tls: 'gateway API', ssh: 'administration CLI'}),
  accounts: {passwordScheme: 'none', users: [{name: 'admin', role: 'administrator (public key only)'}]},
  encryptedManagementOnly: true,
  ...VENDOR_FACTS,
})

export const LAB_DECLARATIONS: Readonly<Record<string, (targets: readonly string[]) => Declaration>> = {
  'good-gateway': goodGatewayDeclaration,
  'good-gateway-2': goodGatewayDeclaration,
  'strong-hub': (targets) => ({
    identity: {vendor: 'sg17scan lab', model: 'strong-hub'},
    ...services(targets, {https: 'web administration', ssh: 'administration CLI'}),
    accounts: {passwordScheme: 'user-set-at-first-use', users: [{name: 'hubadmin', role: 'administrator'}]},
    encryptedManagementOnly: true,
    ...VENDOR_FACTS,
  }),
  'secure-admin': (targets) => ({
    identity: {vendor: 'sg17scan lab', model: 'secure-admin'},
    ...services(targets, {https: 'web administration', http: 'redirect to HTTPS'}),
    accounts: {passwordScheme: 'user-set-at-first-use'},
    ...VENDOR_FACTS,
  }),
  'default-router': (targets) => ({
    identity: {vendor: 'sg17scan lab', model: 'default-router'},
    ...services(targets, {ssh: 'administration CLI', telnet: 'administration CLI', http: 'web administration'}),
    accounts: {passwordScheme: 'unique-per-device', users: [{name: 'root', role: 'administrator'}, {name: 'admin', role: 'web administrator'}]},
    ...VENDOR_FACTS,
  }),
}
