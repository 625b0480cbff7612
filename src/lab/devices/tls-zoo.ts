/**
 * The TLS quirky-device zoo: real node:tls servers, most behind the quirk proxy (src/lab/quirk-proxy.ts), each
 * reproducing one behaviour of real embedded TLS stacks that scanners get wrong. Delays are kept modest so that
 * `scan --lab` stays quick; tests build slower variants with the same pieces.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import type {Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createServer, type Server, type TlsOptions} from 'node:tls'

import {issueLeaf} from '../ca.js'
import {issueEcLeaf} from '../ec-leaf.js'
import {startQuirkProxy, type TlsQuirks} from '../quirk-proxy.js'
import {listenTracked} from '../server.js'
import type {LabDeviceDefinition, StartedDevice} from './types.js'

/** TLS 1.0–1.3 with the broad suite set OpenSSL 3 can serve (CBC, GCM, CCM, ChaCha, Camellia, ARIA). */
export const ZOO_LEGACY_TLS: TlsOptions = {minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: 'ALL:@SECLEVEL=0', honorCipherOrder: true}

function tlsServer(options: TlsOptions): Server {
  const server = createServer(options)
  server.on('tlsClientError', () => {})
  server.on('secureConnection', (socket) => {
    socket.on('error', () => {})
    socket.once('data', () => socket.end())
  })
  return server
}

/** A node:tls server on a private Unix socket, behind the quirk proxy listening on host:port. */
export async function startQuirkyTls(host: string, port: number, options: TlsOptions, quirks: TlsQuirks): Promise<StartedDevice> {
  const upstream = tlsServer(options)
  const dir = mkdtempSync(join(tmpdir(), 'sg17-zoo-'))
  const path = join(dir, 'tls.sock')
  const sockets = new Set<Socket>()
  upstream.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('error', () => {})
    s.once('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    upstream.once('error', reject)
    upstream.listen(path, () => {
      upstream.off('error', reject)
      resolve()
    })
  })
  const stopUpstream = async (): Promise<void> => {
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => upstream.close(() => resolve()))
    rmSync(dir, {recursive: true, force: true})
  }
  let proxy
  try {
    proxy = await startQuirkProxy({host, port, upstream: {path}, quirks})
  } catch (error) {
    await stopUpstream()
    throw error
  }
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    targets: [`tls://${shownHost}:${proxy.port}`],
    async stop() {
      await proxy.close()
      await stopUpstream()
    },
  }
}

function leaf(device: string): {key: string; cert: string} {
  const l = issueLeaf({purpose: device, commonName: `${device}.lab`, keyBits: 2048, days: 90})
  return {key: l.keyPem, cert: l.certPem}
}

function quirky(name: string, portOffset: number, description: string, options: () => TlsOptions, quirks: TlsQuirks): LabDeviceDefinition {
  return {
    name,
    description,
    portOffset,
    start: ({host, port}) => startQuirkyTls(host, port, {...options(), ...leaf(name)}, quirks),
  }
}

export const TLS_ZOO_DEVICES: readonly LabDeviceDefinition[] = [
  quirky(
    'zoo-hello-intolerant',
    60,
    'TLS 1.0–1.3 that says nothing to 256–511-byte ClientHellos and resets hellos with more than 64 suites',
    () => ZOO_LEGACY_TLS,
    {silentHelloWindow: true, maxSuites: 64},
  ),
  quirky(
    'zoo-flaky',
    61,
    'TLS 1.0–1.3 that resets its second TLS 1.0 hello and refuses connections for 300 ms after its 12th',
    () => ZOO_LEGACY_TLS,
    {resetNthHello: {version: 0x0301, nth: 2}, refuseConnects: {afterConnections: 12, forMs: 300}},
  ),
  // 100 ms keeps `scan --lab` quick; test/integration/tls-zoo.test.ts builds the 700 ms variant of issue 10.
  quirky('zoo-slow', 62, 'TLS 1.2/1.3 whose every handshake reply takes 100 ms', () => ({minVersion: 'TLSv1.2'}), {replyDelayMs: 100}),
  quirky(
    'zoo-warning-alert',
    63,
    'TLS 1.2/1.3 that sends a warning unrecognized_name alert before each ServerHello',
    () => ({minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2'}),
    {warningAlert: 112},
  ),
  {
    name: 'zoo-tls13-ccm',
    description: 'TLS 1.3 only, CCM suites only (TLS_AES_128_CCM_SHA256, TLS_AES_128_CCM_8_SHA256)',
    portOffset: 64,
    async start({host, port}) {
      const server = tlsServer({minVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256', ...leaf('zoo-tls13-ccm')})
      return listenTracked(server, host, port, 'tls')
    },
  },
  {
    name: 'zoo-dual-cert',
    description: 'TLS 1.2/1.3 with two certificates: RSA (SHA-256) and ECDSA P-256 signed with SHA-1',
    portOffset: 65,
    async start({host, port}) {
      const rsa = leaf('zoo-dual-cert')
      const ec = issueEcLeaf({purpose: 'zoo-dual-cert-ec', commonName: 'zoo-dual-cert-ec.lab', days: 90, md: 'sha1'})
      // SECLEVEL=0: OpenSSL 3 refuses to load a SHA-1-signed certificate otherwise (that is the device's fault to find).
      const server = tlsServer({minVersion: 'TLSv1.2', ciphers: 'DEFAULT:@SECLEVEL=0', key: [rsa.key, ec.keyPem], cert: [rsa.cert, ec.certPem]})
      return listenTracked(server, host, port, 'tls')
    },
  },
]
