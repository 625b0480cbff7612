import {X509Certificate} from 'node:crypto'
import {connect, type ConnectionOptions, type TLSSocket} from 'node:tls'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startLab, type LabDevice, type RunningLab} from '../../src/lab/index.js'

interface Handshake {
  protocol: string | null
  cipher: string
  standardName: string
  authorized: boolean
  authorizationError?: string
  peer: X509Certificate
  ephemeral: ReturnType<TLSSocket['getEphemeralKeyInfo']>
}

function endpoint(device: LabDevice): {host: string; port: number} {
  const target = device.targets[0]
  if (target === undefined) throw new Error(`${device.name} has no target`)
  const url = new URL(target)
  expect(url.protocol).toBe('tls:')
  return {host: url.hostname, port: Number(url.port)}
}

/** One handshake with a plain node:tls client; resolves with what was negotiated, rejects on failure. */
function handshake(device: LabDevice, options: ConnectionOptions): Promise<Handshake> {
  const {host, port} = endpoint(device)
  return new Promise((resolve, reject) => {
    const socket = connect({host, port, rejectUnauthorized: false, ...options}, () => {
      const cipher = socket.getCipher()
      const result: Handshake = {
        protocol: socket.getProtocol(),
        cipher: cipher.name,
        standardName: cipher.standardName,
        authorized: socket.authorized,
        authorizationError: socket.authorizationError?.toString(),
        peer: socket.getPeerX509Certificate() as X509Certificate,
        ephemeral: socket.getEphemeralKeyInfo(),
      }
      socket.destroy()
      resolve(result)
    })
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')))
    socket.on('error', reject)
  })
}

const LEGACY_CLIENT = {ciphers: 'ALL:eNULL:@SECLEVEL=0'} as const

describe('virtual lab', () => {
  let lab: RunningLab
  const device = (name: string): LabDevice => {
    const found = lab.devices.find((candidate) => candidate.name === name)
    if (found === undefined) throw new Error(`no ${name}`)
    return found
  }

  beforeAll(async () => {
    lab = await startLab()
  })
  afterAll(async () => {
    await lab?.stop()
  })

  it('lists the devices on 127.0.0.1 (a loopback address of their own for the bare-host devices) with ephemeral ports and a CA PEM', () => {
    expect(lab.devices.map((d) => d.name)).toEqual(['good-gateway', 'legacy-camera', 'open-router', 'old-nvr', 'secure-sensor', 'default-router', 'netgear-ap', 'open-door', 'strong-hub', 'locking-camera', 'webcam-http', 'secure-admin', 'portal-router', 'quirky-ssh', 'authz-sensor', 'zoo-hello-intolerant', 'zoo-flaky', 'zoo-slow', 'zoo-warning-alert', 'zoo-tls13-ccm', 'zoo-dual-cert', 'smart-plug', 'hardened-sensor', 'ip-camera', 'home-router'])
    const schemes: Record<string, string[]> = {
      'good-gateway': ['tls:', 'ssh:'],
      'legacy-camera': ['tls:', 'ssh:'],
      'open-router': ['snmp:'],
      'old-nvr': ['telnet:', 'ftp:'],
      'secure-sensor': ['snmp:'],
      'default-router': ['ssh:', 'telnet:', 'http:'],
      'netgear-ap': ['http:'],
      'open-door': ['telnet:', 'http:'],
      'strong-hub': ['ssh:', 'https:'],
      'locking-camera': ['telnet:', 'ssh:'],
      'webcam-http': ['http:'],
      'secure-admin': ['https:', 'http:'],
      'portal-router': ['http:'],
      'quirky-ssh': ['ssh:', 'ssh:', 'ssh:'],
      'authz-sensor': ['snmp:'],
      'zoo-hello-intolerant': ['tls:'],
      'zoo-flaky': ['tls:'],
      'zoo-slow': ['tls:'],
      'zoo-warning-alert': ['tls:'],
      'zoo-tls13-ccm': ['tls:'],
      'zoo-dual-cert': ['tls:'],
      'smart-plug': ['mqtt:', 'coap:'],
      'hardened-sensor': ['mqtts:'],
      'ip-camera': ['rtsp:', 'http:', 'ssdp:'],
      'home-router': ['http:', 'ssdp:', 'ntp:'],
    }
    const ownAddress = new Set(['smart-plug', 'hardened-sensor', 'ip-camera', 'home-router'])
    for (const d of lab.devices) {
      expect(d.description.length).toBeGreaterThan(10)
      expect(d.targets.map((t) => new URL(t).protocol)).toEqual(schemes[d.name])
      for (const t of d.targets) {
        if (ownAddress.has(d.name)) expect(new URL(t).hostname).toMatch(/^127\.(?!0\.0\.1$)\d+\.\d+\.\d+$/)
        else expect(new URL(t).hostname).toBe('127.0.0.1')
        expect(Number(new URL(t).port)).toBeGreaterThan(0)
      }
    }
    const ca = new X509Certificate(lab.caPem)
    expect(ca.ca).toBe(true)
  })

  describe('good-gateway', () => {
    it('negotiates TLS 1.3 and its chain validates to the lab CA for 127.0.0.1', async () => {
      const result = await handshake(device('good-gateway'), {ca: lab.caPem, rejectUnauthorized: true})
      expect(result.protocol).toBe('TLSv1.3')
      expect(result.authorized).toBe(true)
      expect(result.peer.checkIP('127.0.0.1')).toBe('127.0.0.1')
      expect(result.peer.checkHost('localhost')).toBe('localhost')
      expect(result.peer.verify(new X509Certificate(lab.caPem).publicKey)).toBe(true)
      expect(result.peer.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048)
      const lifetimeDays = (Date.parse(result.peer.validTo) - Date.parse(result.peer.validFrom)) / 86_400_000
      expect(lifetimeDays).toBeCloseTo(90, 0)
      expect(result.peer.toLegacyObject().asn1Curve).toBeUndefined()
    })

    it('negotiates TLS 1.2 with its own first ECDHE AEAD suite (server order)', async () => {
      const result = await handshake(device('good-gateway'), {
        maxVersion: 'TLSv1.2',
        ciphers: 'ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256',
      })
      expect(result.protocol).toBe('TLSv1.2')
      expect(result.standardName).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256')
    })

    it('accepts each of its three TLS 1.2 suites', async () => {
      for (const suite of ['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-CHACHA20-POLY1305']) {
        const result = await handshake(device('good-gateway'), {maxVersion: 'TLSv1.2', ciphers: suite})
        expect(result.cipher).toBe(suite)
      }
    })

    it('refuses TLS 1.1 and TLS 1.0', async () => {
      for (const version of ['TLSv1.1', 'TLSv1'] as const) {
        await expect(
          handshake(device('good-gateway'), {minVersion: version, maxVersion: version, ...LEGACY_CLIENT}),
        ).rejects.toThrow()
      }
    })

    it('refuses CBC, static-RSA, DHE and NULL suites on TLS 1.2', async () => {
      for (const suite of ['ECDHE-RSA-AES128-SHA', 'AES128-GCM-SHA256', 'DHE-RSA-AES128-GCM-SHA256', 'NULL-SHA256']) {
        await expect(
          handshake(device('good-gateway'), {maxVersion: 'TLSv1.2', ciphers: `${suite}:@SECLEVEL=0`}),
        ).rejects.toThrow()
      }
    })

    it('offers only X25519, P-256 and P-384', async () => {
      for (const [curve, name] of [['X25519', 'X25519'], ['P-256', 'prime256v1'], ['P-384', 'secp384r1']]) {
        const result = await handshake(device('good-gateway'), {ecdhCurve: curve})
        expect(result.ephemeral).toMatchObject({type: 'ECDH', name})
      }
      await expect(handshake(device('good-gateway'), {ecdhCurve: 'P-521'})).rejects.toThrow()
    })
  })

  describe('legacy-camera', () => {
    it('negotiates TLSv1 and NULL-SHA when asked', async () => {
      const result = await handshake(device('legacy-camera'), {
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1',
        ciphers: 'NULL-SHA:@SECLEVEL=0',
      })
      expect(result.protocol).toBe('TLSv1')
      expect(result.cipher).toBe('NULL-SHA')
    })

    it('negotiates TLS 1.1 and refuses TLS 1.2 and 1.3', async () => {
      const result = await handshake(device('legacy-camera'), {minVersion: 'TLSv1', ...LEGACY_CLIENT})
      expect(result.protocol).toBe('TLSv1.1')
      await expect(
        handshake(device('legacy-camera'), {minVersion: 'TLSv1.2', ...LEGACY_CLIENT}),
      ).rejects.toThrow()
    })

    it('accepts its CBC-SHA and NULL suites and refuses GCM', async () => {
      for (const suite of ['AES128-SHA', 'AES256-SHA', 'DHE-RSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'NULL-MD5']) {
        const result = await handshake(device('legacy-camera'), {
          minVersion: 'TLSv1',
          ciphers: `${suite}:@SECLEVEL=0`,
        })
        expect(result.cipher).toBe(suite)
      }
      await expect(
        handshake(device('legacy-camera'), {minVersion: 'TLSv1', ciphers: 'DHE-RSA-AES256-SHA:@SECLEVEL=0'}),
      ).rejects.toThrow()
    })

    it('uses 1024-bit DHE', async () => {
      const result = await handshake(device('legacy-camera'), {
        minVersion: 'TLSv1',
        ciphers: 'DHE-RSA-AES128-SHA:@SECLEVEL=0',
      })
      expect(result.ephemeral).toMatchObject({type: 'DH', size: 1024})
    })

    it('presents a self-signed RSA-1024 SHA-1 certificate valid for 10 years', async () => {
      const result = await handshake(device('legacy-camera'), {minVersion: 'TLSv1', ...LEGACY_CLIENT, ca: lab.caPem})
      expect(result.authorized).toBe(false)
      expect(result.authorizationError).toMatch(/SELF_SIGNED/)
      expect(result.peer.issuer).toBe(result.peer.subject)
      expect(result.peer.verify(result.peer.publicKey)).toBe(true)
      expect(result.peer.publicKey.asymmetricKeyDetails?.modulusLength).toBe(1024)
      expect(result.peer.checkIP('127.0.0.1')).toBe('127.0.0.1')
      const lifetimeDays = (Date.parse(result.peer.validTo) - Date.parse(result.peer.validFrom)) / 86_400_000
      expect(lifetimeDays).toBeCloseTo(3650, 0)
      // sha1WithRSAEncryption = 1.2.840.113549.1.1.5 → DER 06 09 2a 86 48 86 f7 0d 01 01 05
      expect(result.peer.raw.includes(Buffer.from('06092a864886f70d010105', 'hex'))).toBe(true)
    })
  })
})

describe('startLab options', () => {
  it('gives stable ports from basePort and can start a subset', async () => {
    // Below Linux's ephemeral range (32768 and up), so no client socket of a parallel test can hold one of them.
    const base = 20000 + Math.floor(Math.random() * 12000)
    const lab = await startLab({basePort: base})
    try {
      expect(lab.devices.map((d) => d.targets)).toEqual([
        [`tls://127.0.0.1:${base}`, `ssh://127.0.0.1:${base + 100}`],
        [`tls://127.0.0.1:${base + 1}`, `ssh://127.0.0.1:${base + 101}`],
        [`snmp://127.0.0.1:${base + 2}`],
        [`telnet://127.0.0.1:${base + 3}`, `ftp://127.0.0.1:${base + 103}`],
        [`snmp://127.0.0.1:${base + 4}`],
        [`ssh://127.0.0.1:${base + 5}`, `telnet://127.0.0.1:${base + 105}`, `http://127.0.0.1:${base + 205}`],
        [`http://127.0.0.1:${base + 6}`],
        [`telnet://127.0.0.1:${base + 7}`, `http://127.0.0.1:${base + 107}`],
        [`ssh://127.0.0.1:${base + 8}`, `https://127.0.0.1:${base + 108}`],
        [`telnet://127.0.0.1:${base + 9}`, `ssh://127.0.0.1:${base + 109}`],
        [`http://127.0.0.1:${base + 10}`],
        [`https://127.0.0.1:${base + 11}`, `http://127.0.0.1:${base + 111}`],
        [`http://127.0.0.1:${base + 12}`],
        [`ssh://127.0.0.1:${base + 40}`, `ssh://127.0.0.1:${base + 140}`, `ssh://127.0.0.1:${base + 240}`],
        [`snmp://127.0.0.1:${base + 41}`],
        ...[60, 61, 62, 63, 64, 65].map((offset) => [`tls://127.0.0.1:${base + offset}`]),
        // With fixed ports every device stays on the lab's host.
        [`mqtt://127.0.0.1:${base + 20}`, `coap://127.0.0.1:${base + 120}`],
        [`mqtts://127.0.0.1:${base + 21}`],
        [`rtsp://127.0.0.1:${base + 22}`, `http://127.0.0.1:${base + 222}`, `ssdp://127.0.0.1:${base + 122}`],
        [`http://127.0.0.1:${base + 23}`, `ssdp://127.0.0.1:${base + 123}`, `ntp://127.0.0.1:${base + 223}`],
      ])
    } finally {
      await lab.stop()
    }
    const subset = await startLab({basePort: base, devices: ['legacy-camera']})
    try {
      expect(subset.devices.map((d) => d.targets[0])).toEqual([`tls://127.0.0.1:${base + 1}`])
    } finally {
      await subset.stop()
    }
  })

  it('rejects unknown devices', async () => {
    await expect(startLab({devices: ['toaster']})).rejects.toThrow(/unknown lab device/)
  })

  it('stop() destroys open connections', async () => {
    const lab = await startLab({devices: ['good-gateway']})
    const gw = lab.devices[0]
    if (gw === undefined) throw new Error('no device')
    const {host, port} = endpoint(gw)
    const socket = connect({host, port, rejectUnauthorized: false})
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', () => resolve())
      socket.once('error', reject)
    })
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    socket.on('error', () => {})
    await lab.stop()
    await closed
    expect(socket.destroyed).toBe(true)
  })
})
