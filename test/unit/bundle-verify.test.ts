import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {writeBundle} from '../../src/evidence/bundle.js'
import {loadSigner, type Signer} from '../../src/evidence/sign.js'
import type {Report} from '../../src/evidence/types.js'
import {VERIFY_EXIT, verifyBundle, verifyBundleFiles, verifyReportFile} from '../../src/evidence/verify.js'
import {signingPki, type SigningPki} from '../helpers/signing.js'
import {labReport} from '../helpers/writer-reports.js'

const tmp = mkdtempSync(join(tmpdir(), 'sg17scan-verify-'))
let counter = 0
const freshDir = (name: string) => join(tmp, `${name}-${++counter}`)
const LAB = {name: 'ACME Test Lab', operator: 'J. Doe', accreditationId: 'ISO17025-0042'}

function readTree(dir: string, rel = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  for (const e of readdirSync(join(dir, rel), {withFileTypes: true})) {
    const path = rel ? `${rel}/${e.name}` : e.name
    if (e.isDirectory()) for (const [k, v] of readTree(dir, path)) out.set(k, v)
    else out.set(path, readFileSync(join(dir, path)))
  }
  return out
}

/** Byte classes of a file: where a change could hide. JSON-aware (inside a string or not) for every file. */
function positionsByClass(bytes: Buffer): Map<string, number> {
  const classes = new Map<string, number[]>()
  const add = (name: string, i: number) => (classes.get(name) ?? classes.set(name, []).get(name)!).push(i)
  let inString = false
  let escaped = false
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!
    const ch = String.fromCharCode(c)
    const kind =
      c >= 0x80 ? 'non-ascii'
      : c === 0x0a ? 'newline'
      : c === 0x0d ? 'carriage-return'
      : c === 0x20 || c === 0x09 ? 'space'
      : /[0-9]/.test(ch) ? 'digit'
      : /[A-Za-z]/.test(ch) ? 'letter'
      : ch === '"' ? 'quote'
      : ch === '\\' ? 'backslash'
      : /[{}[\]:,]/.test(ch) ? 'structural'
      : /[-=+/]/.test(ch) ? 'base64-or-dash'
      : 'punctuation'
    add(`${inString ? 'in-string' : 'outside-string'} ${kind}`, i)
    if (inString) {
      if (escaped) escaped = false
      else if (ch === '\\') escaped = true
      else if (ch === '"') inString = false
    } else if (ch === '"') inString = true
  }
  const out = new Map<string, number>([['first byte', 0], ['last byte', bytes.length - 1], ['middle byte', Math.floor(bytes.length / 2)]])
  // One position per class: its middle occurrence (not always the first, which sits next to the file start).
  for (const [name, list] of classes) out.set(name, list[Math.floor(list.length / 2)]!)
  return out
}

const MUTATIONS = {
  flip: (b: Buffer, i: number) => {
    const c = Buffer.from(b)
    c[i] = c[i]! ^ 0x01
    return c
  },
  delete: (b: Buffer, i: number) => Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]),
  duplicate: (b: Buffer, i: number) => Buffer.concat([b.subarray(0, i + 1), b.subarray(i)]),
}

/** Where the lab strings of manifest.json lie: the one part an unsigned bundle cannot prove. */
function labValueRange(manifest: Buffer): [number, number] {
  const text = manifest.toString('latin1')
  const start = text.indexOf('"lab": {')
  return [start, text.indexOf('}', start)]
}

describe('report verify: bundles', () => {
  let report: Report
  let pki: SigningPki
  let ed: Signer
  beforeAll(async () => {
    report = await labReport()
    pki = signingPki()
    ed = loadSigner({keyPem: pki.pem.edKey, certPem: pki.pem.edChain})
  })

  it('tells trusted, unknown signer and unsigned apart, in status and exit code', () => {
    const signed = freshDir('signed')
    writeBundle(report, signed, {lab: LAB, signer: ed})
    expect(verifyBundle(signed, {trust: [pki.pem.rootCert]})).toMatchObject({ok: true, status: 'trusted', exitCode: VERIFY_EXIT.verified})
    const unknown = verifyBundle(signed)
    expect(unknown).toMatchObject({ok: true, status: 'signer-unknown', exitCode: VERIFY_EXIT.signerUnknown})
    expect(unknown.notes.join('\n')).toMatch(/signer unknown/)
    const unsigned = freshDir('unsigned')
    writeBundle(report, unsigned, {lab: LAB})
    const r = verifyBundle(unsigned)
    expect(r).toMatchObject({ok: true, status: 'unsigned', exitCode: VERIFY_EXIT.unsigned})
    expect(r.notes.join('\n')).toMatch(/only the internal consistency of the bundle was checked/)
    expect(verifyBundle(unsigned, {allowUnsigned: true}).exitCode).toBe(0)
    expect(new Set(Object.values(VERIFY_EXIT)).size).toBe(Object.values(VERIFY_EXIT).length)
  })

  it('an unsigned bundle whose manifest lab details were edited never verifies without --allow-unsigned', () => {
    const dir = freshDir('unsigned-edit')
    writeBundle(report, dir, {lab: LAB})
    const path = join(dir, 'manifest.json')
    writeFileSync(path, readFileSync(path, 'utf8').replace('"operator": "J. Doe"', '"operator": "Somebody Else"'))
    const r = verifyBundle(dir)
    expect(r.exitCode).not.toBe(0)
    expect(r.status).toBe('unsigned')
  })

  it('the signature covers exact bytes: manifest.sig without its trailing newline fails', () => {
    const dir = freshDir('sig-newline')
    writeBundle(report, dir, {signer: ed})
    const sig = join(dir, 'manifest.sig')
    writeFileSync(sig, readFileSync(sig, 'utf8').replace(/\n$/, ''))
    const r = verifyBundle(dir, {trust: [pki.pem.rootCert]})
    expect(r).toMatchObject({ok: false, exitCode: VERIFY_EXIT.problem})
    expect(r.problems).toEqual(['manifest.sig: not exactly a base64 signature followed by one newline'])
  })

  it('re-indented manifest.json (same JSON) fails even unsigned: only the exact bytes written are accepted', () => {
    const dir = freshDir('reindent')
    writeBundle(report, dir)
    const path = join(dir, 'manifest.json')
    writeFileSync(path, `${JSON.stringify(JSON.parse(readFileSync(path, 'utf8')))}\n`)
    expect(verifyBundle(dir, {allowUnsigned: true}).problems).toEqual(['manifest.json: not in the exact form sg17scan writes (whitespace, key order or escaping changed)'])
  })

  it('records the signing time inside the signed manifest and checks the signer certificates were valid then', () => {
    const dir = freshDir('signed-at')
    const signedAt = new Date()
    writeBundle(report, dir, {signer: ed, signedAt})
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
    expect(manifest.signedAt).toBe(signedAt.toISOString())
    expect(verifyBundle(dir, {trust: [pki.pem.rootCert]}).manifest?.signedAt).toBe(signedAt.toISOString())

    // Signed (by the clock of the signer) after the 30-day certificates expired: not valid at signing time.
    const late = freshDir('signed-late')
    const later = new Date(Date.now() + 90 * 86400_000)
    writeBundle(report, late, {signer: ed, signedAt: later})
    const r = verifyBundle(late, {trust: [pki.pem.rootCert], now: later})
    expect(r.ok).toBe(false)
    expect(r.problems).toContainEqual(expect.stringMatching(/^signer\.json: certificateChain\[0\] \(.*Evidence Signer Ed25519\) was not valid at signing time/))
    // Judged by today's clock, that signing time is also in the future.
    expect(verifyBundle(late, {trust: [pki.pem.rootCert]}).problems).toContainEqual(expect.stringMatching(/signedAt .* is in the future/))
  })

  it('a self-contradictory report signed by a trusted signer is still rejected, naming the first contradiction', () => {
    const bad = structuredClone(report)
    const device = bad.devices[0]!
    device.findings.push({check: 'tls.cipher.weak', title: 'Weak', outcome: 'fail', severity: 'critical', service: 'tls://203.0.113.9:443', message: 'x', evidence: ['obs-00000000deadbeef'], references: []})
    device.verdict = 'pass'
    bad.summary.exitCode = 0
    const dir = freshDir('contradiction')
    writeBundle(bad, dir, {signer: ed})
    const r = verifyBundle(dir, {trust: [pki.pem.rootCert]})
    expect(r).toMatchObject({ok: false, status: 'failed', exitCode: 1})
    expect(r.problems[0]).toMatch(/^report\.json: devices\[0\] .*findings\[\d+\] \(tls\.cipher\.weak\): service tls:\/\/203\.0\.113\.9:443 is not a service of the device/)
    const file = join(tmp, 'contradiction.json')
    writeFileSync(file, JSON.stringify(bad))
    expect(verifyReportFile(file)).toMatchObject({ok: false, exitCode: 1})
    writeFileSync(file, JSON.stringify(report))
    expect(verifyReportFile(file)).toMatchObject({ok: true, status: 'consistent', exitCode: 0})
  })

  describe('tampering with every byte class of every file', () => {
    for (const signedCase of [true, false]) {
      it(`${signedCase ? 'signed' : 'unsigned'}: every change is caught${signedCase ? '' : ' (or, in the lab details the manifest alone carries, never accepted without --allow-unsigned)'}`, () => {
        const dir = freshDir(signedCase ? 'tamper-signed' : 'tamper-unsigned')
        writeBundle(report, dir, {lab: LAB, ...(signedCase ? {signer: ed} : {})})
        const tree = readTree(dir)
        const options = signedCase ? {trust: [pki.pem.rootCert]} : {}
        expect(verifyBundleFiles(tree, options).exitCode).toBe(signedCase ? 0 : VERIFY_EXIT.unsigned)
        let cases = 0
        const classesSeen = new Set<string>()
        for (const [file, bytes] of tree) {
          // Artifacts of one kind and encoding are alike: every other file, and the first artifact of each kind.ext.
          const kind = (f: string) => f.replace(/^.*\/\d+-/, '')
          if (file.startsWith('artifacts/') && [...tree.keys()].find((f) => f.startsWith('artifacts/') && kind(f) === kind(file)) !== file) continue
          const lab = file === 'manifest.json' ? labValueRange(bytes) : undefined
          for (const [cls, at] of positionsByClass(bytes)) {
            classesSeen.add(cls)
            for (const [name, mutate] of Object.entries(MUTATIONS)) {
              const copy = new Map(tree)
              copy.set(file, mutate(bytes, at))
              const r = verifyBundleFiles(copy, options)
              const where = `${file} ${cls} (byte ${at}) ${name}: ${r.status} ${r.problems.slice(0, 2).join('; ')}`
              cases++
              expect(r.exitCode, where).not.toBe(0)
              if (!signedCase && lab && at > lab[0] && at < lab[1] && r.ok) {
                expect(r.status, where).toBe('unsigned')
                continue
              }
              expect(r.ok, where).toBe(false)
            }
          }
        }
        expect(classesSeen).toEqual(expect.objectContaining({size: expect.any(Number)}))
        for (const cls of ['in-string letter', 'outside-string structural', 'outside-string space', 'outside-string newline', 'in-string digit', 'outside-string digit', 'quote']) {
          expect([...classesSeen].some((c) => c.includes(cls)), cls).toBe(true)
        }
        expect(cases).toBeGreaterThan(300)
      }, 120_000)
    }
  })
})
