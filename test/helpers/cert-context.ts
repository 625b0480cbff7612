/**
 * ProbeContext for the certificate tests: real TCP connections to a local server, no engine.
 * (test/helpers/probe-context.ts belongs to the engine tests.)
 */
import {generateKeyPairSync} from 'node:crypto'
import {connect as netConnect, type Socket} from 'node:net'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import forge from 'node-forge'

import {ProbeError, type ProbeContext} from '../../src/probes/types.js'

export const CERT_DIR = fileURLToPath(new URL('../fixtures/certs/', import.meta.url))

/** Text of a fixture under test/fixtures/certs/. */
export function fixture(name: string): string {
  return readFileSync(`${CERT_DIR}${name}`, 'utf8')
}

export interface CertContextOptions {
  host?: string
  port: number
  targetName?: string
  caCertificates?: string[]
  timeoutMs?: number
  signal?: AbortSignal
}

export interface CertContext extends ProbeContext {
  /** Messages given to ctx.log. */
  logs: string[]
  /** Connections opened through ctx.connect. */
  connections: number
}

export function certContext(options: CertContextOptions): CertContext {
  const host = options.host ?? '127.0.0.1'
  const timeoutMs = options.timeoutMs ?? 3000
  const ctx: CertContext = {
    service: {id: `tls://${host}:${options.port}`, protocol: 'tls', host, port: options.port, transport: 'tcp'},
    timeoutMs,
    signal: options.signal ?? new AbortController().signal,
    caCertificates: options.caCertificates ?? [],
    targetName: options.targetName ?? host,
    now: () => new Date(),
    logs: [],
    connections: 0,
    log(message: string) {
      ctx.logs.push(message)
    },
    connect(connectOptions?: {port?: number}): Promise<Socket> {
      ctx.connections++
      return new Promise<Socket>((resolve, reject) => {
        const socket = netConnect({host, port: connectOptions?.port ?? options.port})
        const timer = setTimeout(() => {
          socket.destroy()
          reject(new ProbeError('timeout', `connect to ${host} timed out`))
        }, timeoutMs)
        socket.once('connect', () => {
          clearTimeout(timer)
          resolve(socket)
        })
        socket.once('error', (err: NodeJS.ErrnoException) => {
          clearTimeout(timer)
          reject(new ProbeError(err.code === 'ECONNREFUSED' ? 'refused' : 'connect-failed', err.message))
        })
      })
    },
  }
  return ctx
}

/** An RSA key pair made by node:crypto (fast) in node-forge form. */
export function forgeRsaKeys(bits: number): forge.pki.rsa.KeyPair {
  const {privateKey} = generateKeyPairSync('rsa', {modulusLength: bits})
  const pem = privateKey.export({type: 'pkcs1', format: 'pem'}).toString()
  const priv = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey
  return {privateKey: priv, publicKey: forge.pki.setRsaPublicKey(priv.n, priv.e)}
}

export interface ForgeCertOptions {
  subject: forge.pki.CertificateField[]
  /** Issuer name and signing key; self-signed when absent. */
  issuer?: {subject: forge.pki.CertificateField[]; privateKey: forge.pki.rsa.PrivateKey}
  keys: forge.pki.rsa.KeyPair
  digest?: 'md5' | 'sha1' | 'sha256'
  serial?: string
  ca?: boolean
  pathLen?: number
  altNames?: {type: number; value?: string; ip?: string}[]
}

/** DER of an RSA certificate built with node-forge. */
export function forgeCertificate(o: ForgeCertOptions): Buffer {
  const cert = forge.pki.createCertificate()
  cert.publicKey = o.keys.publicKey
  cert.serialNumber = o.serial ?? '01'
  cert.validity.notBefore = new Date('2024-01-01T00:00:00Z')
  cert.validity.notAfter = new Date('2034-01-01T00:00:00Z')
  cert.setSubject(o.subject)
  cert.setIssuer(o.issuer?.subject ?? o.subject)
  const extensions: object[] = []
  if (o.ca !== undefined) {
    const bc: Record<string, unknown> = {name: 'basicConstraints', cA: o.ca, critical: true}
    if (o.pathLen !== undefined) bc['pathLenConstraint'] = o.pathLen
    extensions.push(bc)
  }
  if (o.altNames) extensions.push({name: 'subjectAltName', altNames: o.altNames})
  if (extensions.length) cert.setExtensions(extensions)
  const md = o.digest === 'md5' ? forge.md.md5.create() : o.digest === 'sha1' ? forge.md.sha1.create() : forge.md.sha256.create()
  cert.sign(o.issuer?.privateKey ?? o.keys.privateKey, md)
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary')
}
