/**
 * good-gateway: a well-configured TLS endpoint. TLS 1.2 + 1.3 only, ECDHE with AEAD suites only, server
 * cipher order, groups X25519/P-256/P-384, RSA-2048 SHA-256 leaf from the lab CA valid for 90 days.
 * Expected to pass every TLS check when the lab CA is the trust anchor.
 */
import {createServer} from 'node:tls'

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

export const goodGateway: LabDeviceDefinition = {
  name: 'good-gateway',
  description:
    'TLS 1.2/1.3 only, ECDHE AEAD suites, server order, X25519/P-256/P-384, RSA-2048 SHA-256 leaf from the lab CA (90 days); SSH with curve25519, AEAD ciphers, Ed25519/ECDSA keys, key-only login',
  portOffset: 0,
  async start({host, port}) {
    const leaf = issueLeaf({purpose: 'good-gateway', commonName: 'good-gateway.lab', keyBits: 2048, days: 90})
    const server = createServer({
      key: leaf.keyPem,
      cert: leaf.certPem,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ciphers: GOOD_GATEWAY_CIPHERS,
      honorCipherOrder: true,
      ecdhCurve: GOOD_GATEWAY_GROUPS,
    })
    server.on('tlsClientError', () => {})
    server.on('secureConnection', (socket) => {
      socket.on('error', () => {})
      // A gateway with nothing to say: anything the client sends is answered by a clean close.
      socket.once('data', () => socket.end())
    })
    return startServices([
      () => listenTracked(server, host, port, 'tls'),
      () => startLabSsh('good-gateway', GOOD_GATEWAY_SSH, host, port === 0 ? 0 : port + SECOND_SERVICE_PORT_OFFSET),
    ])
  },
}
