/**
 * SSH probe unit against in-process targets: ssh2 Servers (weak and strong configurations) and hostile TCP
 * servers (garbage, silence, an endless banner line, an oversized packet, a reset, SSH-1 only, …).
 */
import net from 'node:net'

import ssh2 from 'ssh2'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {judge} from '../../src/engine/judge.js'
import {toObservation} from '../../src/engine/run-unit.js'
import {resolveProfile} from '../../src/profiles/loader.js'
import {sshProbeUnit} from '../../src/probes/ssh/unit.js'
import type {ProbeEmission} from '../../src/probes/types.js'
import {makeProbeContext, type TestProbeContext} from '../helpers/probe-context.js'
import {expectWithinBound} from '../helpers/bounds.js'

const {Server, utils} = ssh2

function sshContext(port: number, timeoutMs = 1500): TestProbeContext {
  const ctx = makeProbeContext(port, {timeoutMs})
  ctx.service = {...ctx.service, id: `ssh://127.0.0.1:${port}`, protocol: 'ssh'}
  return ctx
}

function byProbe(emissions: ProbeEmission[]): Record<string, ProbeEmission> {
  return Object.fromEntries(emissions.map((e) => [e.probe, e]))
}

interface Running {
  port: number
  close(): Promise<void>
}

function listen(server: net.Server, trackSockets = true): Promise<Running> {
  const sockets = new Set<{destroy(): void}>()
  if (trackSockets) {
    server.on('connection', (s: net.Socket) => {
      sockets.add(s)
      s.on('error', () => {})
      s.on('close', () => sockets.delete(s))
    })
  }
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy()
            server.close(() => r())
          }),
      }),
    ),
  )
}

type Ssh2ServerConfig = ConstructorParameters<typeof Server>[0]

async function startSsh2(config: Ssh2ServerConfig, methods: string[]): Promise<Running> {
  const clients = new Set<{end(): void}>()
  const server = new Server(config, (client) => {
    clients.add(client)
    client.on('close', () => clients.delete(client))
    client.on('error', () => {})
    client.on('authentication', (ctx) => {
      if (ctx.method === 'none' && methods.includes('none')) ctx.accept()
      else ctx.reject(methods.filter((m) => m !== 'none') as never)
    })
    client.on('ready', () => client.end())
  })
  const running = await listen(server as unknown as net.Server, false)
  return {
    port: running.port,
    close: () => {
      for (const c of clients) c.end()
      return running.close()
    },
  }
}

function rawServer(onConnection: (s: net.Socket) => void): Promise<Running> {
  return listen(net.createServer(onConnection))
}

const rsa1024 = utils.generateKeyPairSync('rsa', {bits: 1024})
const ed25519 = utils.generateKeyPairSync('ed25519')
const ecdsa = utils.generateKeyPairSync('ecdsa', {bits: 256})
const rsa3072 = utils.generateKeyPairSync('rsa', {bits: 3072})

describe('ssh2 Server, weak configuration', () => {
  let target: Running
  let result: Record<string, ProbeEmission>
  let ctx: TestProbeContext
  beforeAll(async () => {
    target = await startSsh2(
      {
        hostKeys: [rsa1024.private],
        ident: 'WeakBox_1.0',
        algorithms: {
          kex: ['diffie-hellman-group1-sha1', 'diffie-hellman-group14-sha1'],
          cipher: ['3des-cbc', 'aes128-cbc'],
          hmac: ['hmac-md5', 'hmac-sha1-96'],
          serverHostKey: ['ssh-rsa'],
          compress: ['none'],
        },
      },
      ['password'],
    )
    ctx = sshContext(target.port, 3000)
    result = byProbe(await sshProbeUnit.run(ctx))
  })
  afterAll(() => target.close())

  it('records banner and every offered list in order', () => {
    const k = result['ssh.kexinit']
    expect(k.error).toBeUndefined()
    expect(k.data).toMatchObject({
      banner: 'SSH-2.0-WeakBox_1.0',
      protocolVersion: '2.0',
      software: 'WeakBox_1.0',
      comments: '',
      // ssh2 1.17 appends the strict-KEX pseudo-algorithm (Terrapin countermeasure) to what it was given.
      kex: ['diffie-hellman-group1-sha1', 'diffie-hellman-group14-sha1', 'kex-strict-s-v00@openssh.com'],
      hostKey: ['ssh-rsa'],
      ciphers: ['3des-cbc', 'aes128-cbc'],
      macs: ['hmac-md5', 'hmac-sha1-96'],
      compression: ['none'],
      ciphersClientToServer: ['3des-cbc', 'aes128-cbc'],
      macsClientToServer: ['hmac-md5', 'hmac-sha1-96'],
      compressionClientToServer: ['none'],
      firstKexPacketFollows: false,
    })
    expect(k.artifacts?.map((a) => a.kind)).toEqual(['ssh-banner', 'ssh-kexinit'])
    expect(k.artifacts?.[1].content.startsWith('14')).toBe(true)
  })

  it('fetches the 1024-bit RSA host key with its fingerprint', () => {
    const h = result['ssh.hostkeys']
    expect(h.error).toBeUndefined()
    const keys = h.data.keys as Array<Record<string, unknown>>
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatchObject({algorithm: 'ssh-rsa', type: 'ssh-rsa', bits: 1024})
    expect(keys[0].fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
  })

  it('lists the authentication methods after a none request', () => {
    expect(result['ssh.auth-methods']).toMatchObject({data: {methods: ['password'], noneAccepted: false}})
  })

  it('uses one connection for the lists, the only host key and the none request', () => {
    // Before the raw client: 3 (KEXINIT, then an ssh2 session each for the host key and the none request).
    expect(ctx.connections).toBe(1)
  })
})

describe('ssh2 Server, strong configuration', () => {
  let target: Running
  let result: Record<string, ProbeEmission>
  beforeAll(async () => {
    target = await startSsh2(
      {
        hostKeys: [ed25519.private, ecdsa.private, rsa3072.private],
        ident: 'Hardened',
        algorithms: {
          kex: ['curve25519-sha256', 'ecdh-sha2-nistp256', 'diffie-hellman-group16-sha512'],
          cipher: ['aes256-gcm@openssh.com', 'aes128-ctr'],
          hmac: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512'],
          serverHostKey: ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256'],
        },
      },
      ['publickey', 'keyboard-interactive'],
    )
    result = byProbe(await sshProbeUnit.run(sshContext(target.port, 3000)))
  })
  afterAll(() => target.close())

  it('records the strong lists', () => {
    expect(result['ssh.kexinit'].data).toMatchObject({
      kex: ['curve25519-sha256', 'ecdh-sha2-nistp256', 'diffie-hellman-group16-sha512', 'kex-strict-s-v00@openssh.com'],
      // ssh2 1.17 appends ssh-rsa whenever it holds an RSA host key.
      hostKey: ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
      ciphers: ['aes256-gcm@openssh.com', 'aes128-ctr'],
      macs: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512'],
    })
  })

  it('fetches each distinct key once; both RSA algorithms share the RSA key', () => {
    const keys = result['ssh.hostkeys'].data.keys as Array<Record<string, unknown>>
    expect(keys.map((k) => k.algorithm)).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'])
    expect(keys[0]).toMatchObject({type: 'ssh-ed25519', bits: 256})
    expect(keys[1]).toMatchObject({type: 'ecdsa-sha2-nistp256', bits: 256, curve: 'nistp256'})
    expect(keys[2]).toMatchObject({type: 'ssh-rsa', bits: 3072})
    expect(keys[3].fingerprint).toBe(keys[2].fingerprint)
    expect(keys[4]).toMatchObject({type: 'ssh-rsa', bits: 3072, fingerprint: keys[2].fingerprint})
    expect(new Set(keys.map((k) => k.fingerprint)).size).toBe(3)
    // Each distinct key once, as an OpenSSH public key line.
    expect(result['ssh.hostkeys'].artifacts?.map((a) => a.content.split(' ')[0])).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ssh-rsa'])
  })

  it('reports publickey and keyboard-interactive', () => {
    expect(result['ssh.auth-methods'].data).toMatchObject({methods: ['publickey', 'keyboard-interactive'], noneAccepted: false})
  })
})

describe('ssh2 Server accepting none', () => {
  it('reports noneAccepted', async () => {
    const target = await startSsh2({hostKeys: [ed25519.private]}, ['none'])
    try {
      const r = byProbe(await sshProbeUnit.run(sshContext(target.port)))
      expect(r['ssh.auth-methods'].data).toMatchObject({methods: [], noneAccepted: true})
      // Judged by the baseline profile: ssh.auth.none fails, critical (before: only password-only, not_applicable).
      const ctx = sshContext(target.port)
      const observations = Object.values(r).map((e) => toObservation(ctx.service, e, new Date().toISOString()))
      const profile = resolveProfile()
      const sel = profile.checks.find((c) => c.check.id === 'ssh.auth.none')!
      expect(sel).toBeDefined()
      const finding = judge(sel, ctx.service, observations, profile.thresholds, new Date())
      expect(finding).toMatchObject({outcome: 'fail', severity: 'critical'})
    } finally {
      await target.close()
    }
  })
})

describe('scripted SSH-ish servers', () => {
  it('accepts lines before the identification and records them', async () => {
    const target = await rawServer((s) => {
      s.write('Welcome\r\nAuthorized use only\r\nSSH-2.0-Pre_1\r\n')
    })
    try {
      const r = byProbe(await sshProbeUnit.run(sshContext(target.port, 500)))
      // No KEXINIT follows: the kexinit emission fails with a timeout, each emission explained.
      expect(r['ssh.kexinit'].error?.code).toBe('timeout')
      expect(r['ssh.hostkeys'].error?.code).toBe('timeout')
    } finally {
      await target.close()
    }
  })

  it('handles an SSH-1-only server: banner recorded, other probes explained', async () => {
    const target = await rawServer((s) => s.write('SSH-1.5-OldBox\n'))
    try {
      const r = byProbe(await sshProbeUnit.run(sshContext(target.port, 500)))
      expect(r['ssh.kexinit'].error).toBeUndefined()
      expect(r['ssh.kexinit'].data).toMatchObject({protocolVersion: '1.5', sshV1Only: true, kex: [], software: 'OldBox'})
      expect(r['ssh.hostkeys'].error?.code).toBe('ssh1-only')
      expect(r['ssh.auth-methods'].error?.code).toBe('ssh1-only')
    } finally {
      await target.close()
    }
  })
})

describe('hostile targets: every emission carries an error within the timeout', () => {
  const cases: Array<[string, (s: net.Socket) => void, string]> = [
    ['garbage', (s) => s.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0xde, 0xad, 0xbe, 0xef, 0x00])), 'not-ssh'],
    ['silent', () => {}, 'timeout'],
    [
      'endless banner line',
      (s) => {
        const timer = setInterval(() => s.writable && s.write('A'.repeat(64)), 5)
        s.on('close', () => clearInterval(timer))
      },
      'oversized',
    ],
    [
      'endless pre-banner lines',
      (s) => {
        const timer = setInterval(() => s.writable && s.write('hello\r\n'), 2)
        s.on('close', () => clearInterval(timer))
      },
      'not-ssh',
    ],
    ['http', (s) => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'), 'not-ssh'],
    [
      'huge packet_length',
      (s) => {
        const b = Buffer.alloc(4)
        b.writeUInt32BE(0x7fffffff)
        s.write(Buffer.concat([Buffer.from('SSH-2.0-Evil\r\n'), b]))
      },
      'oversized',
    ],
    [
      'bad padding',
      (s) => s.write(Buffer.concat([Buffer.from('SSH-2.0-Evil\r\n'), Buffer.from([0, 0, 0, 12, 2]), Buffer.alloc(11, 20)])),
      'malformed-packet',
    ],
    [
      'truncated KEXINIT',
      (s) => {
        const payload = Buffer.concat([Buffer.from([20]), Buffer.alloc(16), Buffer.from([0, 0, 0, 200]), Buffer.from('curve')])
        const pad = 8 - ((5 + payload.length) % 8) + 8
        const head = Buffer.alloc(5)
        head.writeUInt32BE(1 + payload.length + pad)
        head[4] = pad
        s.write(Buffer.concat([Buffer.from('SSH-2.0-Evil\r\n'), head, payload, Buffer.alloc(pad)]))
      },
      'malformed-kexinit',
    ],
    [
      'reset after the banner',
      (s) => {
        s.write('SSH-2.0-Flaky\r\n')
        setTimeout(() => s.resetAndDestroy(), 20)
      },
      'reset',
    ],
    ['closes at once', (s) => s.end(), 'closed'],
  ]

  it.each(cases)('%s', async (_name, behaviour, code) => {
    const target = await rawServer(behaviour)
    try {
      const ctx = sshContext(target.port, 400)
      const started = Date.now()
      const emissions = await sshProbeUnit.run(ctx)
      expectWithinBound(Date.now() - started, 3000)
      expect(emissions.map((e) => e.probe).sort()).toEqual([...sshProbeUnit.emits].sort())
      for (const e of emissions) {
        expect(e.error?.code).toBe(code)
        expect(e.error?.message.length).toBeGreaterThan(5)
        expect(e.data).toEqual({})
      }
    } finally {
      await target.close()
    }
  })

  it('refused connection', async () => {
    const target = await rawServer(() => {})
    const port = target.port
    await target.close()
    const emissions = await sshProbeUnit.run(sshContext(port, 400))
    for (const e of emissions) expect(e.error?.code).toBe('refused')
  })

  it('honours ctx.signal', async () => {
    const target = await rawServer(() => {})
    try {
      const controller = new AbortController()
      const ctx = makeProbeContext(target.port, {timeoutMs: 10_000, signal: controller.signal})
      setTimeout(() => controller.abort(), 100)
      const started = Date.now()
      const emissions = await sshProbeUnit.run(ctx)
      expectWithinBound(Date.now() - started, 2000)
      for (const e of emissions) expect(e.error?.code).toBe('aborted')
    } finally {
      await target.close()
    }
  })
})
