import {createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket} from 'node:net'
import * as tls from 'node:tls'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {certificatesObservation} from '../../src/probes/tls/certificates.js'
import type {TlsCertificatesData} from '../../src/probes/tls/types.js'
import {derToPem, pemToDers} from '../../src/probes/tls/x509.js'
import {certContext, fixture} from '../helpers/cert-context.js'

const CA = fixture('ca.pem')
const KEY = fixture('leaf.key')
const LEAF_IP = fixture('leaf-ip.pem')
const LEAF_DNS = fixture('leaf-dns.pem')
const INT = fixture('int.pem')

interface Running {
  port: number
  sni: string[]
  close(): Promise<void>
}

async function listen(server: tls.Server | TcpServer, sockets: Set<Socket>): Promise<number> {
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

async function startTls(options: tls.TlsOptions): Promise<Running> {
  const sni: string[] = []
  const sockets = new Set<Socket>()
  const server = tls.createServer(
    {
      ...options,
      // Called during the ClientHello, only when the client sends server_name.
      SNICallback: (name, cb) => {
        sni.push(name)
        cb(null, undefined)
      },
    },
    (socket) => socket.end(),
  )
  server.on('tlsClientError', () => {})
  const port = await listen(server, sockets)
  return {
    port,
    sni,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

async function startTcp(onSocket: (s: Socket) => void): Promise<Running> {
  const sockets = new Set<Socket>()
  const server = createTcpServer(onSocket)
  const port = await listen(server, sockets)
  return {
    port,
    sni: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

const data = (emission: {data: Record<string, unknown>}) => emission.data as unknown as TlsCertificatesData

describe('certificatesObservation over a TLS 1.3-only server', () => {
  let ipServer: Running
  let dnsServer: Running
  beforeAll(async () => {
    ipServer = await startTls({minVersion: 'TLSv1.3', key: KEY, cert: LEAF_IP})
    dnsServer = await startTls({minVersion: 'TLSv1.3', key: KEY, cert: LEAF_DNS + INT})
  })
  afterAll(async () => {
    await ipServer.close()
    await dnsServer.close()
  })

  it('fetches the chain, matches the IP SAN and trusts it with the CA given as --ca', async () => {
    const ctx = certContext({port: ipServer.port, caCertificates: [CA]})
    const emission = await certificatesObservation(ctx, null)
    expect(emission.error).toBeUndefined()
    expect(emission.probe).toBe('tls.certificates')
    const d = data(emission)
    expect(d).toMatchObject({hostnameMatch: true, matchedName: '127.0.0.1', trusted: true, source: 'TLSv1.3'})
    expect(d.trustError).toBeUndefined()
    // Only what the server sent: the leaf, no root pulled in from a local store.
    expect(d.chain).toHaveLength(1)
    expect(d.chain[0]).toMatchObject({subject: 'CN=127.0.0.1,O=sg17scan test', keyType: 'EC', curve: 'P-256'})
    expect(emission.artifacts).toEqual([{kind: 'certificate', encoding: 'pem', content: derToPem(pemToDers(LEAF_IP)[0]!)}])
    // The default handshake, then one asking for an RSA certificate (a server may hold one per key type).
    expect(ctx.connections).toBe(2)
    // No SNI for an IP literal.
    expect(ipServer.sni).toEqual([])
  })

  it('reports the chain untrusted without the CA, the name still matching', async () => {
    const emission = await certificatesObservation(certContext({port: ipServer.port}), null)
    expect(data(emission)).toMatchObject({hostnameMatch: true, trusted: false, trustError: 'unknown issuer'})
  })

  it('does not match an IP target the leaf does not list', async () => {
    const ctx = certContext({port: ipServer.port, caCertificates: [CA], targetName: '127.0.0.2'})
    const d = data(await certificatesObservation(ctx, null))
    expect(d).toMatchObject({hostnameMatch: false, matchedName: '127.0.0.2', trusted: true})
  })

  it('returns every certificate the server sent, leaf first, and sends SNI for a DNS target', async () => {
    const ctx = certContext({port: dnsServer.port, caCertificates: [CA], targetName: 'device.example.test'})
    const emission = await certificatesObservation(ctx, null)
    const d = data(emission)
    expect(d.chain.map((c) => c.subject)).toEqual([
      'CN=device.example.test,O=sg17scan test\\, Inc.,C=CH',
      'CN=sg17scan test intermediate,O=sg17scan test',
    ])
    expect(d).toMatchObject({hostnameMatch: true, trusted: true})
    expect(emission.artifacts).toHaveLength(2)
    expect(dnsServer.sni.at(-1)).toBe('device.example.test')
  })
})

describe('certificatesObservation failures', () => {
  it('turns a refused connection into an error observation', async () => {
    const probe = await startTcp((s) => s.destroy())
    const port = probe.port
    await probe.close()
    const emission = await certificatesObservation(certContext({port}), null)
    expect(emission).toMatchObject({probe: 'tls.certificates', data: {}, error: {code: 'refused'}})
  })

  it('times out on a silent server', async () => {
    const silent = await startTcp(() => {})
    try {
      const emission = await certificatesObservation(certContext({port: silent.port, timeoutMs: 300}), null)
      expect(emission).toMatchObject({data: {}, error: {code: 'timeout'}})
    } finally {
      await silent.close()
    }
  })

  it('reports a non-TLS server without throwing', async () => {
    const http = await startTcp((s) => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'))
    try {
      const emission = await certificatesObservation(certContext({port: http.port}), null)
      expect(emission.data).toEqual({})
      expect(emission.error?.code).toMatch(/^(not-tls|reset|handshake-failed|tls-error)$/)
    } finally {
      await http.close()
    }
  })

  it('reports a server that refuses TLS 1.3', async () => {
    const old = await startTls({maxVersion: 'TLSv1.2', key: KEY, cert: LEAF_IP})
    try {
      const emission = await certificatesObservation(certContext({port: old.port}), null)
      expect(emission.data).toEqual({})
      expect(emission.error?.code).toMatch(/^(handshake-failed|reset)$/)
    } finally {
      await old.close()
    }
  })

  it('stops when the probe is aborted', async () => {
    const silent = await startTcp(() => {})
    try {
      const abort = new AbortController()
      const pending = certificatesObservation(certContext({port: silent.port, timeoutMs: 5000, signal: abort.signal}), null)
      setTimeout(() => abort.abort(), 50)
      expect(await pending).toMatchObject({data: {}, error: {code: 'aborted'}})
    } finally {
      await silent.close()
    }
  })
})

describe('certificatesObservation with a chain from the raw prober', () => {
  const chain = [...pemToDers(LEAF_DNS), ...pemToDers(INT)]

  it('analyses the given chain without connecting', async () => {
    const ctx = certContext({port: 1, targetName: 'Device.Example.Test.', caCertificates: [CA]})
    const emission = await certificatesObservation(ctx, {der: chain, protocol: 'TLSv1.2'})
    expect(ctx.connections).toBe(0)
    expect(data(emission)).toMatchObject({source: 'TLSv1.2', hostnameMatch: true, trusted: true, matchedName: 'Device.Example.Test.'})
    expect(data(emission).chain).toHaveLength(2)
  })

  it('reports an empty Certificate message', async () => {
    const emission = await certificatesObservation(certContext({port: 1}), {der: [], protocol: 'TLSv1.2'})
    expect(emission).toMatchObject({data: {}, error: {code: 'no-certificate'}})
  })

  it('an unparsable intermediate does not hide the leaf: partial, bytes kept as artifacts', async () => {
    const emission = await certificatesObservation(certContext({port: 1}), {der: [chain[0]!, Buffer.from('junk')], protocol: 'TLSv1.0'})
    expect(emission.error).toBeUndefined()
    expect(data(emission).chain).toHaveLength(1)
    expect(emission.partial).toMatchObject({code: 'bad-certificate'})
    expect(emission.partial?.missing?.[0]).toMatch(/certificate 1/)
    expect(emission.artifacts).toHaveLength(2)
  })

  it('an unparsable leaf is an error (nothing to judge)', async () => {
    const emission = await certificatesObservation(certContext({port: 1}), {der: [Buffer.from('junk'), chain[1]!], protocol: 'TLSv1.0'})
    expect(emission).toMatchObject({data: {}, error: {code: 'bad-certificate'}})
    expect(emission.artifacts).toHaveLength(2)
  })

  it('refuses to record SSLv2 as the source (not representable in TlsCertificatesData)', async () => {
    const emission = await certificatesObservation(certContext({port: 1}), {der: chain.slice(0, 1), protocol: 'SSLv2'})
    expect(emission).toMatchObject({data: {}, error: {code: 'unsupported-source'}})
    expect(emission.artifacts).toHaveLength(1)
  })
})
