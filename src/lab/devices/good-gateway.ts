/**
 * good-gateway: a well-configured TLS endpoint. TLS 1.2 + 1.3 only, ECDHE with AEAD suites only, server
 * cipher order, groups X25519/P-256/P-384, RSA-2048 SHA-256 leaf from the lab CA valid for 90 days.
 * Expected to pass every TLS check when the lab CA is the trust anchor.
 */
import {createServer, type TlsOptions} from 'node:tls'

import {issueLeaf} from '../ca.js'
import {listenTracked, SECOND_SERVICE_PORT_OFFSET, startServices} from '../server.js'
import {type LabSshConfig, startLabSsh} from '../ssh-service.js'
import type {LabDeviceDefinition} from './types.js'

/** TLS 1.3 suites (OpenSSL's defaults) followed by the TLS 1.2 ECDHE AEAD suites, in server preference order. */
export const GOOD_GATEWAY_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':')

export const GOOD_GATEWAY_GROUPS = 'X25519:P-256:P-384'

/** The good gateway's TLS server settings for a leaf (TLS 1.2–1.3, its AEAD suites in its order, its groups): the
 *  lab's well-configured TLS, shared by the devices that should pass the TLS checks. */
export function goodGatewayTlsOptions(leaf: {keyPem: string; certPem: string}): TlsOptions {
  return {
    key: leaf.keyPem,
    cert: leaf.certPem,
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.3',
    ciphers: GOOD_GATEWAY_CIPHERS,
    honorCipherOrder: true,
    ecdhCurve: GOOD_GATEWAY_GROUPS,
  }
}

/** Modern OpenSSH-like defaults: no SHA-1, no CBC, ETM MACs, key-only login, no version in the banner. */
export const GOOD_GATEWAY_SSH: LabSshConfig = {
  ident: 'GatewaySSH',
  hostKeys: [{type: 'ed25519'}, {type: 'ecdsa', bits: 256}],
  algorithms: {
    kex: ['curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256'],
    cipher: ['chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com', 'aes128-gcm@openssh.com'],
    hmac: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com'],
    serverHostKey: ['ssh-ed25519', 'ecdsa-sha2-nistp256'],
  },
  authMethods: ['publickey'],
}

/**
 * One sample of the good-gateway model. `purpose` names its keys (the lab caches keys per purpose): a second sample
 * with its own purpose has its own TLS key and SSH host keys, as two units of a model made right do.
 */
function goodGatewaySample(name: string, purpose: string, portOffset: number, description: string): LabDeviceDefinition {
  return {
    name,
    description,
    portOffset,
    async start({host, port}) {
      // The certificate names the address the gateway listens on (127.0.0.1, or a loopback address of its own).
      const leaf = issueLeaf({purpose, commonName: 'good-gateway.lab', keyBits: 2048, days: 90, ips: [host]})
      const server = createServer(goodGatewayTlsOptions(leaf))
      server.on('tlsClientError', () => {})
      server.on('secureConnection', (socket) => {
        socket.on('error', () => {})
        // A gateway with nothing to say: anything the client sends is answered by a clean close.
        socket.once('data', () => socket.end())
      })
      return startServices([
        () => listenTracked(server, host, port, 'tls'),
        () => startLabSsh(purpose, GOOD_GATEWAY_SSH, host, port === 0 ? 0 : port + SECOND_SERVICE_PORT_OFFSET),
      ])
    },
  }
}

const DESCRIPTION =
  'TLS 1.2/1.3 only, ECDHE AEAD suites, server order, X25519/P-256/P-384, RSA-2048 SHA-256 leaf from the lab CA (90 days); SSH with curve25519, AEAD ciphers, Ed25519/ECDSA keys, key-only login'

export const goodGateway: LabDeviceDefinition = goodGatewaySample('good-gateway', 'good-gateway', 0, DESCRIPTION)

/** A second sample of the good-gateway model with keys of its own (started only when named): with good-gateway in
 *  one run, the key comparison of EN 303 645 5.4-4 / EN 18031-1 CCK-3 has two samples of one model to compare. */
export const goodGatewaySecondSample: LabDeviceDefinition = goodGatewaySample('good-gateway-2', 'good-gateway-2', 90, `Second sample of the good-gateway model, with its own TLS key and SSH host keys: ${DESCRIPTION}`)
