import {execFileSync} from 'node:child_process'
import {generateKeyPairSync} from 'node:crypto'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {summarize, withBatch} from '../../src/engine/verdict.js'
import {analyzeBatch, identityDigest, type SelectedBatchCheck} from '../../src/identity/batch.js'
import {resolveProfile} from '../../src/profiles/loader.js'
import type {Report} from '../../src/evidence/types.js'

export interface SigningPki {
  dir: string
  /** Files (paths) of keys and certificates. */
  files: {
    edKey: string
    ecKey: string
    rsaKey: string
    p384Key: string
    rootCert: string
    otherRootCert: string
    /** Ed25519 leaf, then the intermediate. */
    edChain: string
    /** Intermediate first, then the leaf: wrong order. */
    edChainReversed: string
    /** ECDSA P-256 leaf issued by the root directly. */
    ecCert: string
  }
  pem: Record<keyof SigningPki['files'], string>
}

const pkcs8 = (key: {export(o: {type: 'pkcs8'; format: 'pem'}): string | Buffer}) => String(key.export({type: 'pkcs8', format: 'pem'}))

let cached: SigningPki | undefined

/**
 * Keys (node:crypto) and a small PKI made with the openssl CLI: root CA (P-256) → intermediate CA (P-256) →
 * Ed25519 leaf; root → ECDSA P-256 leaf; an unrelated root. Made once per test file.
 */
export function signingPki(): SigningPki {
  if (cached) return cached
  const dir = mkdtempSync(join(tmpdir(), 'sg17scan-pki-'))
  const path = (name: string) => join(dir, name)
  const put = (name: string, text: string) => {
    writeFileSync(path(name), text)
    return path(name)
  }
  const ossl = (...args: string[]) => execFileSync('openssl', args, {cwd: dir, stdio: ['ignore', 'pipe', 'pipe']})

  const edKey = put('ed25519.key', pkcs8(generateKeyPairSync('ed25519').privateKey))
  const ecKey = put('p256.key', pkcs8(generateKeyPairSync('ec', {namedCurve: 'prime256v1'}).privateKey))
  const rsaKey = put('rsa.key', pkcs8(generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey))
  const p384Key = put('p384.key', pkcs8(generateKeyPairSync('ec', {namedCurve: 'secp384r1'}).privateKey))
  const rootKey = put('root.key', pkcs8(generateKeyPairSync('ec', {namedCurve: 'prime256v1'}).privateKey))
  const interKey = put('inter.key', pkcs8(generateKeyPairSync('ec', {namedCurve: 'prime256v1'}).privateKey))
  const otherKey = put('other.key', pkcs8(generateKeyPairSync('ec', {namedCurve: 'prime256v1'}).privateKey))

  const caExt = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']
  ossl('req', '-x509', '-new', '-key', rootKey, '-subj', '/O=Test Accreditation Body/CN=Test Root CA', '-days', '30', ...caExt, '-out', 'root.pem')
  ossl('req', '-x509', '-new', '-key', otherKey, '-subj', '/CN=Unrelated Root CA', '-days', '30', ...caExt, '-out', 'other-root.pem')
  writeFileSync(path('ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n')
  writeFileSync(path('leaf.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n')
  const issue = (key: string, subj: string, caCert: string, caKey: string, ext: string, out: string, serial: string) => {
    ossl('req', '-new', '-key', key, '-subj', subj, '-out', `${out}.csr`)
    ossl('x509', '-req', '-in', `${out}.csr`, '-CA', caCert, '-CAkey', caKey, '-set_serial', serial, '-days', '30', '-extfile', ext, '-out', out)
  }
  issue(interKey, '/O=Test Accreditation Body/CN=Test Intermediate CA', 'root.pem', rootKey, 'ca.ext', 'inter.pem', '2')
  issue(edKey, '/O=ACME Test Lab/CN=Evidence Signer Ed25519', 'inter.pem', interKey, 'leaf.ext', 'ed-leaf.pem', '3')
  issue(ecKey, '/O=ACME Test Lab/CN=Evidence Signer P-256', 'root.pem', rootKey, 'leaf.ext', 'ec-leaf.pem', '4')

  const read = (name: string) => readFileSync(path(name), 'utf8')
  const files = {
    edKey,
    ecKey,
    rsaKey,
    p384Key,
    rootCert: path('root.pem'),
    otherRootCert: path('other-root.pem'),
    edChain: put('ed-chain.pem', read('ed-leaf.pem') + read('inter.pem')),
    edChainReversed: put('ed-chain-reversed.pem', read('inter.pem') + read('ed-leaf.pem')),
    ecCert: path('ec-leaf.pem'),
  }
  const pem = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, readFileSync(v, 'utf8')])) as SigningPki['pem']
  cached = {dir, files, pem}
  return cached
}

/** The report cut to the devices at `indexes`, with its own run id and times (a separate scan run). */
export function splitReport(report: Report, indexes: number[], run: {id: string; startedAt: string; finishedAt: string}): Report {
  const part: Report = structuredClone(report)
  part.devices = indexes.map((i) => structuredClone(report.devices[i]!))
  part.run = {...part.run, ...run}
  // The batch analysis of these devices alone, as a scan of only them would write it.
  delete part.batch
  const checks = resolveProfile(report.run.profile.id).checks.filter((s) => s.check.scope === 'batch') as SelectedBatchCheck[]
  if (part.devices.length > 1 && checks.length > 0) part.batch = analyzeBatch(part.devices.map(identityDigest), checks)
  part.summary = withBatch(summarize(part.devices, part.summary.failOn), part.batch)
  return part
}
