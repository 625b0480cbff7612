/**
 * legacy-camera: an old IP camera's TLS stack. TLS 1.0 and 1.1 only, CBC-SHA and NULL suites, a self-signed
 * RSA-1024 SHA-1 certificate valid for 10 years, and 1024-bit DHE (RFC 2409 Oakley Group 2, a fixed group).
 */
import {getDiffieHellman} from 'node:crypto'
import {createServer} from 'node:tls'

import {issueLeaf, type LabCertificate} from '../ca.js'
import {startLoginTelnet} from '../login-services.js'
import {listenTracked, SECOND_SERVICE_PORT_OFFSET, startServices} from '../server.js'
import {type LabSshConfig, startLabSsh} from '../ssh-service.js'
import type {LabDeviceDefinition} from './types.js'

export const LEGACY_CAMERA_CIPHERS =
  'AES128-SHA:AES256-SHA:DHE-RSA-AES128-SHA:ECDHE-RSA-AES128-SHA:NULL-SHA:NULL-MD5:@SECLEVEL=0'

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  const bytes: number[] = []
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

function derInteger(value: Buffer): Buffer {
  const body = (value[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), value]) : value
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body])
}

/** PKCS#3 DHParameter PEM of the 1024-bit RFC 2409 group 2 prime (generator 2). The prime is the fixed
 *  well-known group that node:crypto ships as "modp2"; nothing is generated at runtime. */
export function oakleyGroup2Pem(): string {
  const prime = getDiffieHellman('modp2').getPrime()
  const body = Buffer.concat([derInteger(prime), derInteger(Buffer.from([2]))])
  const der = Buffer.concat([Buffer.from([0x30]), derLength(body.length), body])
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN DH PARAMETERS-----\n${lines.join('\n')}\n-----END DH PARAMETERS-----\n`
}

let cachedCert: LabCertificate | undefined

/** One certificate per process (like a camera that never rotates it). */
function certificate(): LabCertificate {
  cachedCert ??= issueLeaf({
    purpose: 'legacy-camera',
    commonName: 'legacy-camera.lab',
    keyBits: 1024,
    days: 3650,
    md: 'sha1',
    selfSigned: true,
  })
  return cachedCert
}

/** An old embedded SSH daemon: SHA-1 / 1024-bit DH, CBC and 3DES, MD5 MACs, RSA-1024, password only,
 *  and a banner that names its version. */
export const LEGACY_CAMERA_SSH: LabSshConfig = {
  ident: 'dropbear_2014.63',
  hostKeys: [{type: 'rsa', bits: 1024}],
  algorithms: {
    kex: ['diffie-hellman-group1-sha1', 'diffie-hellman-group14-sha1'],
    cipher: ['aes128-cbc', '3des-cbc', 'aes128-ctr'],
    hmac: ['hmac-md5', 'hmac-sha1', 'hmac-sha1-96'],
    serverHostKey: ['ssh-rsa'],
  },
  authMethods: ['password'],
}

export const legacyCamera: LabDeviceDefinition = {
  name: 'legacy-camera',
  description:
    'TLS 1.0/1.1 only, CBC-SHA and NULL suites, 1024-bit DHE, self-signed RSA-1024 SHA-1 certificate (10 years); SSH with SHA-1/1024-bit DH kex, CBC/3DES, MD5 MACs, RSA-1024, password-only login, versioned banner',
  portOffset: 1,
  start: ({host, port}) => startCamera(host, port, LEGACY_CAMERA_CIPHERS, LEGACY_CAMERA_SSH, false),
}

/** Firmware 2 drops the NULL suites but keeps the rest; its banner names the newer dropbear. */
export const LEGACY_CAMERA_FW2_CIPHERS = 'AES128-SHA:AES256-SHA:DHE-RSA-AES128-SHA:ECDHE-RSA-AES128-SHA:@SECLEVEL=0'
export const LEGACY_CAMERA_FW2_SSH: LabSshConfig = {...LEGACY_CAMERA_SSH, ident: 'dropbear_2019.78'}

/**
 * legacy-camera-fw2: the same camera after a firmware update, for `report diff` — same certificate and SSH host
 * key (same device), the NULL cipher suites removed (a fix), the dropbear version bumped, and a Telnet debug
 * console left listening (a regression). Not part of the default lab: start it by name.
 */
export const legacyCameraFw2: LabDeviceDefinition = {
  name: 'legacy-camera-fw2',
  description:
    'legacy-camera after a firmware update: same certificate and SSH host key, NULL suites removed, dropbear 2019.78 banner, and a Telnet debug console left open',
  // Far above the reference devices, so a device added to the default lab never takes its ports.
  portOffset: 50,
  start: ({host, port}) => startCamera(host, port, LEGACY_CAMERA_FW2_CIPHERS, LEGACY_CAMERA_FW2_SSH, true),
}

async function startCamera(host: string, port: number, ciphers: string, ssh: LabSshConfig, telnetConsole: boolean) {
  const cert = certificate()
  // DHE group: dhparam 'auto' makes OpenSSL pick the group matching the certificate key's strength; for an
  // RSA-1024 key (80 security bits) that is the fixed RFC 2409 1024-bit group 2 prime, i.e. the same group
  // as oakleyGroup2Pem(). Passing that PEM instead works too, but then Node prints "SecurityWarning: DH
  // parameter is less than 2048 bits" on stderr every time the lab starts.
  const server = createServer({
    key: cert.keyPem,
    cert: cert.certPem,
    minVersion: 'TLSv1',
    maxVersion: 'TLSv1.1',
    ciphers,
    dhparam: 'auto',
  })
  server.on('tlsClientError', () => {})
  server.on('secureConnection', (socket) => {
    socket.on('error', () => {})
    socket.once('data', () => socket.end())
  })
  const at = (n: number) => (port === 0 ? 0 : port + n * SECOND_SERVICE_PORT_OFFSET)
  return startServices([
    () => listenTracked(server, host, port, 'tls'),
    // The host key purpose is the camera's, whatever the firmware: an update keeps the device's keys.
    () => startLabSsh('legacy-camera', ssh, host, at(1)),
    ...(telnetConsole ? [() => startLoginTelnet({accept: () => false, hostname: 'ipcam'}, host, at(2))] : []),
  ])
}
