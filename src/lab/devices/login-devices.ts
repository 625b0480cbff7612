/**
 * Lab devices for the intrusive credential checks (cred.*). Credentials are dataset pairs chosen so the default
 * profile finds them within the per-device budget of 20:
 *  - default-router: SSH root/calvin and Telnet root/calvin (ssh-/telnet-betterdefaultpasslist line 2 / 1),
 *    HTTP Basic admin/admin (generic-top #1) → cred.default.ssh/telnet fail, cred.weak.dictionary fails.
 *  - netgear-ap (declared vendor Netgear): HTML form login Gearguy/Geardog (a Netgear row of
 *    default-passwords.csv) → cred.default.http fails via the vendor-defaults list.
 *  - open-door: Telnet and HTTP Basic that accept any password → every cred.* result is inconclusive.
 *  - strong-hub: SSH and HTTPS Digest (SHA-256, HSTS, security headers) with a long random password → cred.*
 *    pass, and the device passes.
 *  - locking-camera: Telnet ("account locked" after 3 failures) and SSH (refuses connections after 3 failures),
 *    no default credentials → lockout detected, inconclusive.
 */
import {randomBytes} from 'node:crypto'

import {issueLeaf} from '../ca.js'
import {startLoginHttp, startLoginSsh, startLoginTelnet} from '../login-services.js'
import {SECOND_SERVICE_PORT_OFFSET, startServices} from '../server.js'
import {GOOD_GATEWAY_CIPHERS, GOOD_GATEWAY_GROUPS} from './good-gateway.js'
import type {LabDeviceDefinition} from './types.js'

const THIRD_SERVICE_PORT_OFFSET = 2 * SECOND_SERVICE_PORT_OFFSET
const at = (port: number, offset: number) => (port === 0 ? 0 : port + offset)
const is = (user: string, pass: string) => (u: string, p: string) => u === user && p === pass

/** Strong credentials of this lab process: random, in no list. */
const STRONG_USER = 'hubadmin'
const STRONG_PASSWORD = randomBytes(18).toString('base64url')

export const defaultRouter: LabDeviceDefinition = {
  name: 'default-router',
  description: 'Router with factory default logins on SSH and Telnet (root/calvin class) and admin/admin on its HTTP Basic admin page',
  portOffset: 5,
  async start({host, port}) {
    return startServices([
      () => startLoginSsh({accept: is('root', 'calvin')}, host, port),
      () => startLoginTelnet({accept: is('root', 'calvin'), hostname: 'router', closeOnFailure: true}, host, at(port, SECOND_SERVICE_PORT_OFFSET)),
      () => startLoginHttp({accept: is('admin', 'admin'), kind: 'basic', realm: 'Router'}, host, at(port, THIRD_SERVICE_PORT_OFFSET)),
    ])
  },
}

export const netgearAp: LabDeviceDefinition = {
  name: 'netgear-ap',
  description: 'Access point declared as Netgear whose HTML form login still takes a Netgear default credential',
  portOffset: 6,
  declared: {vendor: 'Netgear', model: 'LAB-AP'},
  async start({host, port}) {
    return startServices([() => startLoginHttp({accept: is('Gearguy', 'Geardog'), kind: 'form', realm: 'AP'}, host, port)])
  },
}

export const openDoor: LabDeviceDefinition = {
  name: 'open-door',
  description: 'Device whose Telnet and HTTP Basic logins accept any username and password (default-credential tests must be inconclusive)',
  portOffset: 7,
  async start({host, port}) {
    const any = () => true
    return startServices([
      () => startLoginTelnet({accept: any, hostname: 'door'}, host, port),
      () => startLoginHttp({accept: any, kind: 'basic', realm: 'Door'}, host, at(port, SECOND_SERVICE_PORT_OFFSET)),
    ])
  },
}

/** What a well-kept HTTPS admin page sends with every response (the HTTP checks pass on it). */
const HARDENED_HEADERS = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy': "default-src 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

export const strongHub: LabDeviceDefinition = {
  name: 'strong-hub',
  description: 'Hub with SSH and an HTTPS Digest (SHA-256) admin page (HSTS, security headers), both with a strong unique password — passes',
  portOffset: 8,
  async start({host, port}) {
    const leaf = issueLeaf({purpose: 'strong-hub', commonName: 'strong-hub.lab', keyBits: 2048, days: 90})
    return startServices([
      () => startLoginSsh({accept: is(STRONG_USER, STRONG_PASSWORD)}, host, port),
      () =>
        startLoginHttp(
          {
            accept: is(STRONG_USER, STRONG_PASSWORD),
            kind: 'digest',
            realm: 'Hub',
            digestUsers: {[STRONG_USER]: STRONG_PASSWORD},
            https: {keyPem: leaf.keyPem, certPem: leaf.certPem, ciphers: GOOD_GATEWAY_CIPHERS, ecdhCurve: GOOD_GATEWAY_GROUPS, headers: HARDENED_HEADERS},
          },
          host,
          at(port, SECOND_SERVICE_PORT_OFFSET),
        ),
    ])
  },
}

export const lockingCamera: LabDeviceDefinition = {
  name: 'locking-camera',
  description: 'Camera that locks logins after 3 failures: Telnet says "account locked", SSH refuses connections',
  portOffset: 9,
  async start({host, port}) {
    return startServices([
      () => startLoginTelnet({accept: is(STRONG_USER, STRONG_PASSWORD), hostname: 'camera', lockAfter: 3}, host, port),
      () => startLoginSsh({accept: is(STRONG_USER, STRONG_PASSWORD), lockAfter: 3}, host, at(port, SECOND_SERVICE_PORT_OFFSET)),
    ])
  },
}

export const LOGIN_LAB_DEVICES: readonly LabDeviceDefinition[] = [defaultRouter, netgearAp, openDoor, strongHub, lockingCamera]
