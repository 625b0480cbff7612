/**
 * Certificate path validation for the tls.certificates observation: does the chain a server sent lead
 * to a trust anchor — the system store (Node's bundled roots plus the Debian/Ubuntu bundle when readable)
 * or an anchor given with --ca?
 *
 * Builds paths from the leaf using the certificates the server sent and the anchors, depth-first with
 * backtracking (cross-signed and duplicate issuers are tried in turn), cycle-safe and bounded in depth and
 * in work. Each step requires OpenSSL's issuer check (`X509Certificate.checkIssued`: issuer/subject names,
 * authority/subject key identifiers, keyCertSign when key usage is present), a valid signature, an issuer
 * that is a CA (basicConstraints cA, or a v1 self-signed anchor) and its pathLenConstraint (RFC 5280
 * §4.2.1.9, self-issued intermediates not counted).
 *
 * Deliberately not evaluated here: validity dates (the expiry check reads notBefore/notAfter), extended
 * key usage, certificate policies, name constraints and unknown critical extensions; an anchor is trusted
 * as configured. A leaf certificate that is itself an anchor (a pinned self-signed device certificate
 * given with --ca) is trusted.
 */
import {createHash, type X509Certificate} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {rootCertificates} from 'node:tls'

import {isSelfSigned, loadX509, pemToDers, publicKeyOf, readDerDetails} from './x509.js'

export type TrustError =
  | 'empty chain'
  | 'unparseable certificate'
  | 'self-signed'
  | 'untrusted root'
  | 'unknown issuer'
  | 'bad signature'
  | 'issuer not a CA'
  | 'path length constraint exceeded'
  | 'path too long'
  | 'path search limit reached'

export interface TrustResult {
  trusted: boolean
  error?: TrustError
  /** SHA-256 of each certificate on the validated path, leaf first, anchor last. */
  path?: string[]
}

export interface TrustOptions {
  /** Extra anchors, PEM (bundles allowed): the --ca certificates. */
  anchors?: string[]
  /** Include the system trust store (default true). */
  systemStore?: boolean
  /** Most certificates on a path, leaf and anchor included (default 10). */
  maxPathLength?: number
  /** Most intermediates on a path, self-issued ones not counted (default: no limit beyond maxPathLength). */
  maxIntermediates?: number
}

const DEFAULT_MAX_PATH = 10
/** Signature verifications per validation: keeps adversarial chains (many same-name issuers) cheap. */
const MAX_VERIFICATIONS = 256
const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt']

/** A certificate as the path builder sees it. */
export interface ChainCert {
  der: Buffer
  sha256: string
  cert: X509Certificate
  /** Structure read from the DER on first use (most store roots are never looked at closely). */
  facts(): CertFacts
}

export interface CertFacts {
  /** Subject and issuer names are identical. */
  selfIssued: boolean
  /** May issue certificates: basicConstraints cA, or a v1 certificate (no extensions) that is self-issued. */
  ca: boolean
  pathLen?: number
}

function readFacts(der: Buffer, cert: X509Certificate): CertFacts {
  try {
    const details = readDerDetails(der)
    const selfIssued = details.subjectDer === details.issuerDer
    const facts: CertFacts = {selfIssued, ca: cert.ca || (details.version === 1 && selfIssued)}
    if (details.basicConstraints?.pathLen !== undefined) facts.pathLen = details.basicConstraints.pathLen
    return facts
  } catch {
    return {selfIssued: cert.subject === cert.issuer, ca: cert.ca}
  }
}

function toNode(der: Buffer): ChainCert | undefined {
  const cert = loadX509(der)
  if (!cert) return undefined
  let cached: CertFacts | undefined
  return {
    der,
    sha256: createHash('sha256').update(der).digest('hex'),
    cert,
    facts: () => (cached ??= readFacts(der, cert)),
  }
}

let systemAnchors: ChainCert[] | undefined

/** The system store, parsed once. */
export function systemTrustAnchors(): ChainCert[] {
  if (systemAnchors) return systemAnchors
  const pems = [...rootCertificates]
  if (process.platform === 'linux') {
    for (const path of SYSTEM_BUNDLES) {
      try {
        pems.push(readFileSync(path, 'utf8'))
      } catch {
        /* not readable: Node's bundled roots only */
      }
    }
  }
  // Node's bundle and the distribution's overlap almost entirely: drop byte-identical DERs before parsing.
  const unique = new Map<string, Buffer>()
  for (const der of pems.flatMap(pemToDers)) unique.set(createHash('sha256').update(der).digest('hex'), der)
  systemAnchors = dedupe([...unique.values()].map(toNode))
  return systemAnchors
}

function dedupe(nodes: (ChainCert | undefined)[]): ChainCert[] {
  const seen = new Map<string, ChainCert>()
  for (const node of nodes) if (node && !seen.has(node.sha256)) seen.set(node.sha256, node)
  return [...seen.values()]
}

/** Errors in the order of how much they say: a candidate that nearly worked beats "no issuer found". */
const ERROR_RANK: Record<TrustError, number> = {
  'empty chain': 0,
  'unparseable certificate': 0,
  'unknown issuer': 1,
  'self-signed': 2,
  'untrusted root': 2,
  'path too long': 3,
  'path search limit reached': 3,
  'path length constraint exceeded': 4,
  'issuer not a CA': 5,
  'bad signature': 6,
}

/**
 * Validates `chain` (DER, leaf first, as the server sent it) to a trust anchor. Never throws on
 * certificate content.
 */
export function verifyChain(chain: Buffer[], options: TrustOptions = {}): TrustResult {
  if (chain.length === 0) return {trusted: false, error: 'empty chain'}
  const leaf = toNode(chain[0]!)
  if (!leaf) return {trusted: false, error: 'unparseable certificate'}
  const extra = (options.anchors ?? []).flatMap(pemToDers).map(toNode)
  const anchors = dedupe([...extra, ...(options.systemStore === false ? [] : systemTrustAnchors())])
  const anchorIds = new Set(anchors.map((a) => a.sha256))
  if (anchorIds.has(leaf.sha256)) return {trusted: true, path: [leaf.sha256]}

  const intermediates = dedupe(chain.slice(1).map(toNode)).filter((n) => n.sha256 !== leaf.sha256)
  const maxPath = options.maxPathLength ?? DEFAULT_MAX_PATH
  const maxIntermediates = options.maxIntermediates ?? Number.POSITIVE_INFINITY

  let best: TrustError = 'unknown issuer'
  const fail = (error: TrustError): void => {
    if (ERROR_RANK[error] > ERROR_RANK[best]) best = error
  }
  let verifications = 0
  const signedBy = (child: ChainCert, issuer: ChainCert): boolean => {
    verifications++
    const key = publicKeyOf(issuer.cert)
    if (!key) return false
    try {
      return child.cert.verify(key)
    } catch {
      return false
    }
  }
  const issues = (issuer: ChainCert, child: ChainCert): boolean => {
    try {
      return child.cert.checkIssued(issuer.cert)
    } catch {
      return false
    }
  }
  /** Non-self-issued intermediates below the issuer being added: path minus the leaf. */
  const logicalIntermediates = (path: ChainCert[]): number => path.slice(1).filter((n) => !n.facts().selfIssued).length

  /** Can `issuer` sign for the top of `path`? Records why not. */
  const acceptable = (issuer: ChainCert, path: ChainCert[]): boolean => {
    const facts = issuer.facts()
    if (!facts.ca) {
      fail('issuer not a CA')
      return false
    }
    if (facts.pathLen !== undefined && logicalIntermediates(path) > facts.pathLen) {
      fail('path length constraint exceeded')
      return false
    }
    if (!signedBy(path[path.length - 1]!, issuer)) {
      fail('bad signature')
      return false
    }
    return true
  }

  const exhausted = (): undefined => {
    fail('path search limit reached')
    return undefined
  }

  const search = (path: ChainCert[]): ChainCert[] | undefined => {
    const current = path[path.length - 1]!
    const onPath = new Set(path.map((n) => n.sha256))
    let candidates = 0
    if (path.length + 1 > maxPath) {
      fail('path too long')
      return undefined
    }
    for (const anchor of anchors) {
      if (verifications >= MAX_VERIFICATIONS) return exhausted()
      if (onPath.has(anchor.sha256) || !issues(anchor, current)) continue
      candidates++
      if (logicalIntermediates(path) > maxIntermediates) {
        fail('path too long')
        continue
      }
      if (acceptable(anchor, path)) return [...path, anchor]
    }
    if (path.length + 2 <= maxPath) {
      for (const next of intermediates) {
        if (verifications >= MAX_VERIFICATIONS) return exhausted()
        if (onPath.has(next.sha256) || anchorIds.has(next.sha256) || !issues(next, current)) continue
        candidates++
        if (!acceptable(next, path)) continue
        const found = search([...path, next])
        if (found) return found
      }
    } else if (intermediates.some((n) => !onPath.has(n.sha256) && issues(n, current))) {
      candidates++
      fail('path too long')
    }
    if (candidates === 0) {
      // Nothing sent or trusted names this certificate's issuer.
      // Not checkIssued(self): OpenSSL's issuer check wants keyCertSign, which self-signed device leaves lack.
      if (current.facts().selfIssued) {
        if (isSelfSigned(current.cert)) fail(path.length === 1 ? 'self-signed' : 'untrusted root')
        else fail('bad signature')
      } else fail('unknown issuer')
    }
    return undefined
  }

  const found = search([leaf])
  if (found) return {trusted: true, path: found.map((n) => n.sha256)}
  return {trusted: false, error: best}
}
