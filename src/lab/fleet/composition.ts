/**
 * What each fleet device is, drawn deterministically from a seed (no I/O, no keys): services, good or weak
 * configuration, declared and shown identity, and the planted counterfeit indicators — a few devices sharing one
 * TLS private key (tag clone-tls), a few sharing one SSH host key (clone-ssh), a few whose inventory declares a
 * vendor/model/firmware other than what the device shows (mismatch). Tags in the inventory say which is which.
 */

export interface FleetVendor {
  vendor: string
  model: string
  firmware: string
}

export const FLEET_VENDORS: readonly FleetVendor[] = [
  {vendor: 'Acme', model: 'AC-410', firmware: '2.4.1'},
  {vendor: 'Globex', model: 'GX-Cam7', firmware: '7.0.3'},
  {vendor: 'Initech', model: 'IN-Router2', firmware: '1.9.12'},
  {vendor: 'Umbrella', model: 'UM-Gate', firmware: '3.1.0'},
]

/** The reference IoT devices a mixed fleet includes (src/lab/devices), each on a loopback address of its own. */
export const FLEET_IOT_KINDS = ['smart-plug', 'smart-plug-fw2', 'hardened-sensor', 'ip-camera'] as const
export type FleetIotKind = (typeof FLEET_IOT_KINDS)[number]

/** Share of a mixed fleet's devices (outside the planted indicator groups) that are IoT devices. */
export const FLEET_IOT_SHARE = 0.25

/** What an ip-camera shows of itself (SSDP description): its fleet declaration must say the same. */
const CAMERA_VENDOR: FleetVendor = {vendor: 'Globex', model: 'GX-Cam7', firmware: '7.0.3'}

export interface FleetDevicePlan {
  index: number
  id: string
  /** `tls-ssh`: the light TLS and/or SSH device; otherwise a reference IoT device (mixed fleets only). */
  kind: 'tls-ssh' | FleetIotKind
  tls: boolean
  ssh: boolean
  /** Weak TLS: TLS 1.0/1.1 and CBC suites, SHA-1 signed certificate valid for 3 years. */
  weakTls: boolean
  /** Weak SSH: SHA-1 key exchange and MACs, CBC ciphers, password login, version in the banner. */
  weakSsh: boolean
  declared: FleetVendor & {serial: string}
  /** What the device's SSH banner and certificate subject show. */
  shown: FleetVendor
  cloneTls: boolean
  cloneSsh: boolean
  mismatch: boolean
  tags: string[]
}

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * The fleet's devices. With `iot`, a quarter of the devices outside the indicator groups become reference IoT
 * devices, the kinds dealt in turn (a fleet of 8 or more has each at least once when it has room), drawn from a
 * second stream so the TLS/SSH devices, clones and mismatches are the ones the same seed gives without it.
 */
export function planFleet(count: number, seed = 1, options: {iot?: boolean} = {}): FleetDevicePlan[] {
  const plans = planTlsSsh(count, seed)
  if (!options.iot) return plans
  const random = prng(seed ^ 0x5bd1e995)
  const eligible = plans.filter((p) => !p.cloneTls && !p.cloneSsh && !p.mismatch)
  for (let i = eligible.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[eligible[i], eligible[j]] = [eligible[j]!, eligible[i]!]
  }
  const wanted = Math.min(eligible.length, Math.max(count >= 8 ? FLEET_IOT_KINDS.length : 0, Math.round(eligible.length * FLEET_IOT_SHARE)))
  eligible.slice(0, wanted).forEach((p, k) => {
    const kind = FLEET_IOT_KINDS[k % FLEET_IOT_KINDS.length]!
    const camera = kind === 'ip-camera'
    Object.assign(p, {kind, tls: false, ssh: false, weakTls: false, weakSsh: false, declared: {...(camera ? CAMERA_VENDOR : p.declared), serial: p.declared.serial}, shown: camera ? CAMERA_VENDOR : p.shown, tags: ['iot', kind]})
  })
  return plans
}

function planTlsSsh(count: number, seed: number): FleetDevicePlan[] {
  const random = prng(seed)
  // A few of each indicator: 3 per group up to 300 devices, then 1 %.
  const group = count >= 9 ? Math.max(3, Math.floor(count / 100)) : Math.floor(count / 3)
  const order = Array.from({length: count}, (_, i) => i)
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j]!, order[i]!]
  }
  const cloneTls = new Set(order.slice(0, group))
  const cloneSsh = new Set(order.slice(group, 2 * group))
  const mismatch = new Set(order.slice(2 * group, 3 * group))
  const width = String(Math.max(1, count - 1)).length
  return Array.from({length: count}, (_, index) => {
    const r = random()
    let tls = r < 0.7
    let ssh = r >= 0.4
    if (cloneTls.has(index)) tls = true
    if (cloneSsh.has(index)) ssh = true
    if (!tls && !ssh) tls = true
    // A mismatch device shows its real maker in its certificate subject (O=, OU=), the evidence the identity
    // check reads; an SSH banner alone names software, not a vendor the check can hold against the declaration.
    if (mismatch.has(index)) tls = true
    const vendor = FLEET_VENDORS[Math.floor(random() * FLEET_VENDORS.length)]!
    const weakTls = random() < 0.35
    const weakSsh = random() < 0.35
    const isMismatch = mismatch.has(index)
    const shown = isMismatch ? FLEET_VENDORS[(FLEET_VENDORS.indexOf(vendor) + 1) % FLEET_VENDORS.length]! : vendor
    const tags = [
      ...(tls ? [weakTls ? 'tls-weak' : 'tls-good'] : []),
      ...(ssh ? [weakSsh ? 'ssh-weak' : 'ssh-good'] : []),
      ...(cloneTls.has(index) ? ['clone-tls'] : []),
      ...(cloneSsh.has(index) ? ['clone-ssh'] : []),
      ...(isMismatch ? ['mismatch'] : []),
    ]
    return {
      index,
      id: `dev-${String(index).padStart(width, '0')}`,
      kind: 'tls-ssh' as const,
      tls,
      ssh,
      weakTls,
      weakSsh,
      declared: {...vendor, serial: `SN${seed}-${String(index).padStart(6, '0')}`},
      shown,
      cloneTls: cloneTls.has(index),
      cloneSsh: cloneSsh.has(index),
      mismatch: isMismatch,
      tags,
    }
  })
}
