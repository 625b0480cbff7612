import {createHash} from 'node:crypto'
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {BUNDLE_WRITERS, planArtifacts, safeSegment, writeBundle} from '../../src/evidence/bundle.js'
import {loadSigner, type Signer} from '../../src/evidence/sign.js'
import type {Report} from '../../src/evidence/types.js'
import {verifyBundle} from '../../src/evidence/verify.js'
import {ConfigError} from '../../src/profiles/errors.js'
import {jsonWriter} from '../../src/writers/json.js'
import {signingPki, type SigningPki} from '../helpers/signing.js'
import {labReport, trickyReport} from '../helpers/writer-reports.js'

const tmp = mkdtempSync(join(tmpdir(), 'sg17scan-bundle-'))
let counter = 0
const freshDir = (name: string) => join(tmp, `${name}-${++counter}`)
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')

/** Every file of a bundle, relative path → bytes. */
function readTree(dir: string, rel = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  for (const e of readdirSync(join(dir, rel), {withFileTypes: true})) {
    const path = rel ? `${rel}/${e.name}` : e.name
    if (e.isDirectory()) for (const [k, v] of readTree(dir, path)) out.set(k, v)
    else out.set(path, readFileSync(join(dir, path)))
  }
  return out
}

const LAB = {name: 'ACME Test Lab', operator: 'J. Doe', accreditationId: 'ISO17025-0042'}

describe('evidence bundles', () => {
  let report: Report
  let pki: SigningPki
  let ed: Signer
  let ec: Signer
  beforeAll(async () => {
    report = await labReport()
    pki = signingPki()
    ed = loadSigner({keyPem: pki.pem.edKey, certPem: pki.pem.edChain})
    ec = loadSigner({keyPem: pki.pem.ecKey, certPem: pki.pem.ecCert})
  })

  it('writes report.json, one file per artifact, the writer outputs and a sorted manifest', () => {
    const dir = freshDir('layout')
    const result = writeBundle(report, dir, {lab: LAB})
    const tree = readTree(dir)
    expect(tree.get('report.json')?.toString('utf8')).toBe(jsonWriter.write(report))
    for (const {path, writer} of BUNDLE_WRITERS) expect(tree.get(path)?.toString('utf8')).toBe(writer.write(report))

    const planned = planArtifacts(report)
    const artifactCount = report.devices.flatMap((d) => d.observations.flatMap((o) => o.artifacts)).length
    expect(planned).toHaveLength(artifactCount)
    expect(artifactCount).toBeGreaterThan(0)
    for (const p of planned) {
      expect(p.path).toMatch(/^artifacts\/obs-[0-9a-f]+\/\d+-[a-z0-9-]+\.(pem|hex|b64|txt)$/)
      // Stored content byte for byte: the sha256 recorded in the report re-verifies on the file.
      expect(tree.get(p.path)?.toString('utf8')).toBe(p.artifact.content)
      expect(sha(tree.get(p.path)!)).toBe(p.artifact.sha256)
    }
    expect(planned.some((p) => p.path.endsWith('-certificate.pem'))).toBe(true)
    expect(planned.some((p) => p.path.endsWith('.hex'))).toBe(true)

    const manifest = JSON.parse(tree.get('manifest.json')!.toString('utf8'))
    expect(manifest).toMatchObject({
      bundleVersion: 2,
      createdAt: report.run.finishedAt,
      tool: report.tool,
      runId: report.run.id,
      lab: LAB,
      profile: report.run.profile,
      commandLine: report.run.commandLine,
    })
    const paths = manifest.files.map((f: {path: string}) => f.path)
    expect(paths).toEqual([...paths].sort())
    expect(new Set(paths)).toEqual(new Set([...tree.keys()].filter((p) => p !== 'manifest.json')))
    for (const f of manifest.files) {
      expect(f.sha256).toBe(sha(tree.get(f.path)!))
      expect(f.bytes).toBe(tree.get(f.path)!.length)
    }
    expect(result.signed).toBe(false)
    expect(result.files).toEqual([...tree.keys()].sort())
    expect(tree.has('manifest.sig')).toBe(false)
    expect(tree.has('signer.json')).toBe(false)
  })

  it('is deterministic: the same report and options give byte-identical bundles (Ed25519 signature included)', () => {
    const a = freshDir('det')
    const b = freshDir('det')
    const signedAt = new Date()
    writeBundle(report, a, {lab: LAB, signer: ed, signedAt})
    writeBundle(structuredClone(report), b, {lab: LAB, signer: ed, signedAt})
    expect(readTree(b)).toEqual(readTree(a))
    expect(readTree(a).has('manifest.sig')).toBe(true)
  })

  it('ECDSA bundles differ only in manifest.sig (randomized) and both verify', () => {
    const a = freshDir('ecdsa')
    const b = freshDir('ecdsa')
    const signedAt = new Date()
    writeBundle(report, a, {signer: ec, signedAt})
    writeBundle(report, b, {signer: ec, signedAt})
    const ta = readTree(a)
    const tb = readTree(b)
    for (const [path, bytes] of ta) if (path !== 'manifest.sig') expect(tb.get(path), path).toEqual(bytes)
    expect(tb.get('manifest.sig')).not.toEqual(ta.get('manifest.sig'))
    for (const dir of [a, b]) {
      const r = verifyBundle(dir)
      expect(r.problems).toEqual([])
      expect(r).toMatchObject({ok: true, signed: true, signer: {algorithm: 'ECDSA-P256-SHA256'}})
    }
  })

  it('signs with Ed25519 and writes signer.json with the key, its fingerprint and the chain', () => {
    const dir = freshDir('ed')
    writeBundle(report, dir, {signer: ed})
    const signer = JSON.parse(readFileSync(join(dir, 'signer.json'), 'utf8'))
    expect(Object.keys(signer)).toEqual(['algorithm', 'publicKeySpki', 'certificateChain', 'keyFingerprint'])
    expect(signer.algorithm).toBe('Ed25519')
    expect(signer.keyFingerprint).toBe(sha(Buffer.from(signer.publicKeySpki, 'base64')))
    expect(signer.certificateChain).toHaveLength(2)
    expect(readFileSync(join(dir, 'manifest.sig'), 'utf8')).toMatch(/^[A-Za-z0-9+/]{86}==\n$/)
    // signer.json is covered by the manifest (and so by the signature).
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).files.map((f: {path: string}) => f.path)).toContain('signer.json')
    const r = verifyBundle(dir)
    expect(r.problems).toEqual([])
    expect(r.signer).toMatchObject({algorithm: 'Ed25519', keyFingerprint: signer.keyFingerprint, subject: expect.stringContaining('Evidence Signer Ed25519')})
    expect(r.signer?.trusted).toBeUndefined()
  })

  it('an unsigned bundle verifies (integrity only), but not against trust anchors', () => {
    const dir = freshDir('unsigned')
    writeBundle(report, dir)
    expect(verifyBundle(dir)).toMatchObject({ok: true, signed: false, problems: []})
    const r = verifyBundle(dir, {trust: [pki.pem.rootCert]})
    expect(r.ok).toBe(false)
    expect(r.problems.join('\n')).toMatch(/not signed/)
  })

  describe('trust chain', () => {
    it('validates leaf → intermediate → --trust root, and rejects an unrelated root', () => {
      const dir = freshDir('trust')
      writeBundle(report, dir, {signer: ed})
      const good = verifyBundle(dir, {trust: [pki.pem.rootCert]})
      expect(good.problems).toEqual([])
      expect(good.signer?.trusted).toBe(true)
      const bad = verifyBundle(dir, {trust: [pki.pem.otherRootCert]})
      expect(bad.ok).toBe(false)
      expect(bad.signer?.trusted).toBe(false)
      expect(bad.problems).toEqual([expect.stringMatching(/^signer\.json: certificate chain .* does not lead to a trust anchor/)])
    })

    it('validates an ECDSA leaf issued by the root directly', () => {
      const dir = freshDir('trust-ec')
      writeBundle(report, dir, {signer: ec})
      expect(verifyBundle(dir, {trust: [pki.pem.rootCert]})).toMatchObject({ok: true, signer: {trusted: true}})
    })

    it('needs a certificate chain when trust anchors are given', () => {
      const dir = freshDir('trust-nochain')
      writeBundle(report, dir, {signer: loadSigner({keyPem: pki.pem.edKey})})
      expect(verifyBundle(dir).ok).toBe(true)
      const r = verifyBundle(dir, {trust: [pki.pem.rootCert]})
      expect(r.problems).toEqual([expect.stringMatching(/^signer\.json: no certificateChain/)])
    })

    it('a bundle re-signed by someone else verifies alone, but not against the trust anchor', () => {
      const dir = freshDir('resigned')
      writeBundle(report, dir, {signer: ed})
      // The forger edits the report, rebuilds the bundle with their own (certificate-less) key.
      const forged = structuredClone(report)
      forged.devices[0]!.findings[0]!.message = 'all good'
      const forgedDir = freshDir('forged')
      writeBundle(forged, forgedDir, {signer: loadSigner({keyPem: pki.pem.ecKey})})
      expect(verifyBundle(forgedDir).ok).toBe(true)
      expect(verifyBundle(forgedDir, {trust: [pki.pem.rootCert]}).ok).toBe(false)
      // Swapping in a real chain does not help: it does not carry the forger's key.
      const signer = JSON.parse(readFileSync(join(forgedDir, 'signer.json'), 'utf8'))
      signer.certificateChain = JSON.parse(readFileSync(join(dir, 'signer.json'), 'utf8')).certificateChain
      writeFileSync(join(forgedDir, 'signer.json'), JSON.stringify(signer))
      const r = verifyBundle(forgedDir, {trust: [pki.pem.rootCert]})
      expect(r.ok).toBe(false)
      expect(r.problems).toContain('signer.json: certificateChain[0] does not carry the key in publicKeySpki')
    })
  })

  describe('loadSigner', () => {
    it('detects Ed25519 and ECDSA P-256 from the key', () => {
      expect(loadSigner({keyPem: pki.pem.edKey}).algorithm).toBe('Ed25519')
      expect(loadSigner({keyPem: pki.pem.ecKey}).algorithm).toBe('ECDSA-P256-SHA256')
    })

    it.each([
      ['an RSA key', 'rsaKey', /cannot sign with an rsa key; use an Ed25519 or ECDSA P-256/],
      ['a P-384 key', 'p384Key', /EC key on curve secp384r1 \(only P-256/],
      ['a certificate instead of a key', 'rootCert', /not a PEM private key/],
    ] as const)('rejects %s', (_what, which, message) => {
      expect(() => loadSigner({keyPem: pki.pem[which], keySource: 'k.pem'})).toThrow(ConfigError)
      expect(() => loadSigner({keyPem: pki.pem[which], keySource: 'k.pem'})).toThrow(message)
    })

    it('rejects an encrypted key with a clear message', async () => {
      const {createPrivateKey} = await import('node:crypto')
      const encrypted = String(
        createPrivateKey(pki.pem.edKey).export({type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret'}),
      )
      expect(() => loadSigner({keyPem: encrypted})).toThrow(/encrypted private keys are not supported/)
    })

    it('rejects a certificate that does not match the key', () => {
      expect(() => loadSigner({keyPem: pki.pem.ecKey, certPem: pki.pem.edChain, certSource: 'c.pem'})).toThrow(
        /c\.pem: the certificate \(subject .*Evidence Signer Ed25519\) does not match the signing key/,
      )
    })

    it('rejects a chain that is not leaf first', () => {
      expect(() => loadSigner({keyPem: pki.pem.edKey, certPem: pki.pem.edChainReversed})).toThrow(/does not match the signing key/)
      const leaf = pki.pem.edChain.slice(0, pki.pem.edChain.indexOf('-----END CERTIFICATE-----') + 26)
      expect(() => loadSigner({keyPem: pki.pem.edKey, certPem: leaf + pki.pem.otherRootCert})).toThrow(/certificate 1 .* is not issued by certificate 2/)
    })

    it('rejects a certificate file without certificates', () => {
      expect(() => loadSigner({keyPem: pki.pem.edKey, certPem: 'hello', certSource: 'c.pem'})).toThrow(/c\.pem: no PEM certificate/)
    })
  })

  describe('tampering', () => {
    let signed: string
    let files: string[]
    beforeAll(() => {
      signed = freshDir('signed')
      writeBundle(report, signed, {lab: LAB, signer: ed})
      files = [...readTree(signed).keys()]
      expect(verifyBundle(signed, {trust: [pki.pem.rootCert]}).ok).toBe(true)
    })

    it('covers every kind of file', () => {
      expect(files).toEqual(expect.arrayContaining(['report.json', 'manifest.json', 'manifest.sig', 'signer.json', ...BUNDLE_WRITERS.map((w) => w.path)]))
      expect(files.filter((f) => f.startsWith('artifacts/')).length).toBe(planArtifacts(report).length)
    })

    const positions = {first: (n: number) => 0, middle: (n: number) => Math.floor(n / 2), last: (n: number) => n - 1}

    it.each(Object.keys(positions))('flipping the %s byte of each file in turn fails, naming that file', (where) => {
      for (const file of files) {
        const dir = freshDir('flip')
        cpSync(signed, dir, {recursive: true})
        const bytes = readFileSync(join(dir, file))
        const at = positions[where as keyof typeof positions](bytes.length)
        bytes[at] = bytes[at]! ^ 0x01
        writeFileSync(join(dir, file), bytes)
        const r = verifyBundle(dir, {trust: [pki.pem.rootCert]})
        expect(r.ok, `${file} byte ${at}`).toBe(false)
        if (file === 'manifest.sig') expect(r.problems.some((p) => p.includes('manifest.sig')), `${file}: ${r.problems.join('; ')}`).toBe(true)
        else expect(r.problems.some((p) => p.startsWith(`${file}:`)), `${file}: ${r.problems.join('; ')}`).toBe(true)
      }
    })

    it('names the hashes of a changed artifact', () => {
      const artifact = files.find((f) => f.endsWith('-certificate.pem'))!
      const dir = freshDir('artifact')
      cpSync(signed, dir, {recursive: true})
      const before = readFileSync(join(dir, artifact))
      const after = Buffer.from(before.toString('utf8').replace('MI', 'MJ'))
      writeFileSync(join(dir, artifact), after)
      const r = verifyBundle(dir)
      expect(r.problems).toContain(`${artifact}: sha256 mismatch (manifest ${sha(before).slice(0, 16)}…, file ${sha(after).slice(0, 16)}…)`)
      expect(r.problems).toContainEqual(expect.stringMatching(new RegExp(`^${artifact}: sha256 mismatch \\(report\\.json devices\\[\\d+\\]\\.observations\\[\\d+\\]\\.artifacts\\[0\\] records`)))
    })

    it('a changed manifest.json (even re-hashed consistently) fails the signature', () => {
      const dir = freshDir('manifest')
      cpSync(signed, dir, {recursive: true})
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
      manifest.lab.operator = 'Somebody Else'
      writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
      expect(verifyBundle(dir).problems).toEqual(['manifest.json: signature does not verify (manifest.sig, key in signer.json)'])
    })

    it.each([['report.json'], ['signer.json'], ['manifest.sig'], ['report.sarif'], ['artifact']])('deleting %s fails, naming it', (which) => {
      const file = which === 'artifact' ? files.find((f) => f.startsWith('artifacts/'))! : which
      const dir = freshDir('delete')
      cpSync(signed, dir, {recursive: true})
      rmSync(join(dir, file))
      const r = verifyBundle(dir)
      expect(r.ok).toBe(false)
      expect(r.problems.some((p) => p.startsWith(`${file}: missing`)), r.problems.join('; ')).toBe(true)
    })

    it('deleting manifest.json fails', () => {
      const dir = freshDir('delete-manifest')
      cpSync(signed, dir, {recursive: true})
      rmSync(join(dir, 'manifest.json'))
      expect(verifyBundle(dir)).toMatchObject({ok: false, problems: ['manifest.json: missing']})
    })

    it.each([['notes.txt'], ['artifacts/extra.pem'], ['artifacts/obs-new/0-certificate.pem']])('adding %s fails', (file) => {
      const dir = freshDir('add')
      cpSync(signed, dir, {recursive: true})
      mkdirSync(join(dir, file, '..'), {recursive: true})
      writeFileSync(join(dir, file), 'x')
      expect(verifyBundle(dir).problems).toEqual([`extra file: ${file}`])
    })

    it('a symlink is a problem, not followed', () => {
      const dir = freshDir('symlink')
      cpSync(signed, dir, {recursive: true})
      symlinkSync('/etc/hostname', join(dir, 'link'))
      expect(verifyBundle(dir).problems).toEqual(['link: not a regular file'])
    })
  })

  describe('hostile manifests and reports', () => {
    it('rejects unsafe and duplicate paths in an (unsigned) manifest', () => {
      const dir = freshDir('unsafe')
      writeBundle(report, dir)
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
      manifest.files.push({path: '../outside', sha256: '0'.repeat(64), bytes: 0}, {path: '/etc/passwd', sha256: '0'.repeat(64), bytes: 0}, manifest.files[0])
      writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
      const r = verifyBundle(dir)
      expect(r.problems).toEqual([
        'manifest.json: unsafe path "../outside" (empty, . or .. segment)',
        'manifest.json: unsafe path "/etc/passwd" (absolute)',
        `manifest.json: ${manifest.files[0].path} listed twice`,
      ])
    })

    it('reports a malformed manifest field by field', () => {
      const dir = freshDir('shape')
      writeBundle(report, dir)
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({bundleVersion: 9, files: [{path: 'report.json', sha256: 'xyz', bytes: 1}]}))
      const r = verifyBundle(dir)
      expect(r.problems).toEqual(
        expect.arrayContaining([
          'manifest.json: bundleVersion 9 is not supported (this sg17scan reads 2)',
          'manifest.json: runId must be a string',
          'manifest.json: files[0] (report.json): sha256 must be 64 lowercase hex digits',
        ]),
      )
    })

    it('makes hostile observation ids and kinds path-safe, and separates colliding ids', () => {
      const tricky = trickyReport()
      const device = tricky.devices[0]!
      const observation = device.observations[0]!
      observation.id = '../../etc/passwd'
      observation.artifacts[0]!.kind = 'a/b\\c'
      device.observations.push(structuredClone(observation))
      for (const f of device.findings) f.evidence = f.evidence.map((e) => (e === 'obs-0000000000000001' ? observation.id : e))
      const paths = planArtifacts(tricky).map((p) => p.path)
      expect(paths).toEqual(['artifacts/_.._.._etc_passwd/0-a_b_c.pem', 'artifacts/_.._.._etc_passwd~2/0-a_b_c.pem'])
      const dir = freshDir('hostile')
      writeBundle(tricky, dir, {signer: ed})
      // The hand-made report's ids are not content addresses: only report.json contradictions, no file problem.
      const problems = verifyBundle(dir).problems
      expect(problems.length).toBeGreaterThan(0)
      for (const p of problems) expect(p).toMatch(/^report\.json: (devices|summary|batch)/)
      expect(safeSegment('')).toBe('_')
      expect(safeSegment('.hidden')).toBe('_.hidden')
    })

    it('checks report.json against the schema and manifest fields against report.json', () => {
      const dir = freshDir('schema')
      writeBundle(report, dir)
      const broken = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))
      broken.devices[0].verdict = 'maybe'
      const text = JSON.stringify(broken)
      writeFileSync(join(dir, 'report.json'), text)
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
      const entry = manifest.files.find((f: {path: string}) => f.path === 'report.json')
      entry.sha256 = sha(text)
      entry.bytes = Buffer.byteLength(text)
      manifest.runId = 'other-run'
      writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
      expect(verifyBundle(dir).problems).toEqual([expect.stringMatching(/^report\.json: does not match schemas\/report\.schema\.json: \/devices\/0\/verdict/)])
      broken.devices[0].verdict = report.devices[0]!.verdict
      const fixed = JSON.stringify(broken)
      writeFileSync(join(dir, 'report.json'), fixed)
      entry.sha256 = sha(fixed)
      entry.bytes = Buffer.byteLength(fixed)
      writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
      expect(verifyBundle(dir).problems).toEqual([`manifest.json: runId "other-run" does not match report.json run.id "${report.run.id}"`])
    })
  })

  describe('writeBundle refuses', () => {
    it('a non-empty directory', () => {
      const dir = freshDir('nonempty')
      mkdirSync(dir)
      writeFileSync(join(dir, 'x'), 'x')
      expect(() => writeBundle(report, dir)).toThrow(/is not empty/)
    })

    it('an invalid report, before writing anything', () => {
      const dir = freshDir('invalid')
      const bad = structuredClone(report) as unknown as {summary: {exitCode: number}}
      bad.summary.exitCode = 9
      expect(() => writeBundle(bad as unknown as Report, dir)).toThrow(ConfigError)
      expect(() => readdirSync(dir)).toThrow()
    })

    it('verifyBundle of a missing directory is a usage error', () => {
      expect(() => verifyBundle(join(tmp, 'does-not-exist'))).toThrow(ConfigError)
    })
  })
})
