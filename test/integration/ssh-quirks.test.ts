/**
 * SSH probe unit against the quirks of embedded SSH stacks (issue 10, items 8–10), on the lab's quirky-ssh
 * device (ssh2 servers behind a quirk proxy / with an empty name in the cipher lists) and raw TCP fixtures:
 *  - a server that waits for the client's KEXINIT (RFC 4253 §7.1) — before: timeout, every observation errored;
 *  - lines before the identification: long ones and up to 1,024 of them (OpenSSH's limits) — before: 255 bytes
 *    and 32 lines, then `oversized` / `not-ssh`;
 *  - an empty name in a name-list — before: the whole KEXINIT `malformed-kexinit`.
 */
import net from 'node:net'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {QUIRKY_PRE_BANNER_LINES, QUIRKY_SSH_CONFIG, quirkySsh} from '../../src/lab/devices/quirky-ssh.js'
import type {StartedDevice} from '../../src/lab/devices/types.js'
import {buildPacket} from '../../src/probes/ssh/parse.js'
import {sshProbeUnit} from '../../src/probes/ssh/unit.js'
import type {SshKexinitData} from '../../src/probes/ssh/types.js'
import type {ProbeEmission} from '../../src/probes/types.js'
import {expectWithinBound} from '../helpers/bounds.js'
import {makeProbeContext, type TestProbeContext} from '../helpers/probe-context.js'

function sshContext(port: number, timeoutMs = 1500): TestProbeContext {
  const ctx = makeProbeContext(port, {timeoutMs})
  ctx.service = {...ctx.service, id: `ssh://127.0.0.1:${port}`, protocol: 'ssh'}
  return ctx
}

function byProbe(emissions: ProbeEmission[]): Record<string, ProbeEmission> {
  return Object.fromEntries(emissions.map((e) => [e.probe, e]))
}

const portOf = (uri: string) => Number(new URL(uri).port)

describe('lab device quirky-ssh', () => {
  let device: StartedDevice
  beforeAll(async () => {
    device = await quirkySsh.start({host: '127.0.0.1', port: 0})
  })
  afterAll(() => device?.stop())

  const expectClean = (r: Record<string, ProbeEmission>) => {
    for (const e of Object.values(r)) expect(e.error, `${e.probe}: ${JSON.stringify(e.error)}`).toBeUndefined()
    const k = r['ssh.kexinit']!.data as unknown as SshKexinitData
    expect(k.software).toBe('QuirkySSH')
    expect(k.kex.filter((n) => !n.startsWith('kex-strict'))).toEqual(QUIRKY_SSH_CONFIG.algorithms.kex)
    expect(k.ciphers).toEqual(QUIRKY_SSH_CONFIG.algorithms.cipher)
    expect(k.macs).toEqual(QUIRKY_SSH_CONFIG.algorithms.hmac)
    const keys = (r['ssh.hostkeys']!.data as {keys: Array<{type?: string; error?: string}>}).keys
    expect(keys.map((x) => x.type)).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256'])
    expect((r['ssh.auth-methods']!.data as {methods: string[]}).methods).toEqual(['publickey'])
    return k
  }

  it('a server that waits for the client KEXINIT: every observation complete', async () => {
    const r = byProbe(await sshProbeUnit.run(sshContext(portOf(device.targets[0]!))))
    expectClean(r)
  })

  it('300 pre-banner lines, some 2,000 bytes long: counted, the first 32 kept (cut to 255 characters)', async () => {
    const r = byProbe(await sshProbeUnit.run(sshContext(portOf(device.targets[1]!))))
    const k = expectClean(r)
    expect(k.preBannerLineCount).toBe(QUIRKY_PRE_BANNER_LINES.length)
    expect(k.preBannerLines).toHaveLength(32)
    expect(k.preBannerLines[0]).toBe(QUIRKY_PRE_BANNER_LINES[0]!.slice(0, 255))
    expect(k.preBannerLines[1]).toBe(QUIRKY_PRE_BANNER_LINES[1])
  })

  it('an empty name in the cipher lists: lists kept, the anomaly recorded', async () => {
    const r = byProbe(await sshProbeUnit.run(sshContext(portOf(device.targets[2]!))))
    const k = expectClean(r)
    expect(k.ciphersClientToServer).toEqual(QUIRKY_SSH_CONFIG.algorithms.cipher)
    expect(k.anomalies).toHaveLength(2)
    expect(k.anomalies[0]).toMatch(/encryption_algorithms_client_to_server contains an empty name/)
    expect(k.anomalies[1]).toMatch(/encryption_algorithms_server_to_client contains an empty name/)
  })
})

/** A minimal server KEXINIT payload with the given name-lists. */
function kexinit(lists: string[]): Buffer {
  const parts = [Buffer.from([20]), Buffer.alloc(16, 7)]
  for (const l of lists) {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(l.length)
    parts.push(len, Buffer.from(l))
  }
  parts.push(Buffer.alloc(5))
  return buildPacket(Buffer.concat(parts))
}
const LISTS = ['curve25519-sha256', 'ssh-ed25519', 'aes128-ctr', 'aes128-ctr', 'hmac-sha2-256', 'hmac-sha2-256', 'none', 'none', '', '']

async function rawServer(onConnection: (s: net.Socket) => void): Promise<{port: number; close(): Promise<void>}> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((s) => {
    sockets.add(s)
    s.on('error', () => {})
    s.on('close', () => sockets.delete(s))
    onConnection(s)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy()
        server.close(() => r())
      }),
  }
}

describe('raw quirky servers (KEXINIT only)', () => {
  it('sends only after a complete client KEXINIT packet has arrived', async () => {
    const target = await rawServer((s) => {
      s.write('SSH-2.0-WaitsForYou\r\n')
      let got = Buffer.alloc(0)
      s.on('data', (c: Buffer) => {
        got = Buffer.concat([got, c])
        const nl = got.indexOf(0x0a)
        if (nl === -1 || got.length < nl + 5) return
        const len = got.readUInt32BE(nl + 1)
        if (got.length >= nl + 5 + len && got[nl + 6] === 20) s.write(kexinit(LISTS))
      })
    })
    try {
      const r = byProbe(await sshProbeUnit.run(sshContext(target.port, 800)))
      expect(r['ssh.kexinit']!.error).toBeUndefined()
      expect(r['ssh.kexinit']!.data).toMatchObject({software: 'WaitsForYou', kex: ['curve25519-sha256'], ciphers: ['aes128-ctr']})
    } finally {
      await target.close()
    }
  })

  it.each([
    ['1,024 short lines', Array.from({length: 1024}, (_, i) => `line ${i}`)],
    ['lines of 8,000 bytes', Array.from({length: 3}, () => 'x'.repeat(8000))],
  ])('accepts %s before the identification', async (_name, lines) => {
    const target = await rawServer((s) => s.write(`${lines.join('\r\n')}\r\nSSH-2.0-Chatty\r\n`, () => s.write(kexinit(LISTS))))
    try {
      const r = byProbe(await sshProbeUnit.run(sshContext(target.port, 800)))
      expect(r['ssh.kexinit']!.error).toBeUndefined()
      expect(r['ssh.kexinit']!.data).toMatchObject({software: 'Chatty', preBannerLineCount: lines.length, kex: ['curve25519-sha256']})
    } finally {
      await target.close()
    }
  })

  it('refuses a 1,025th line and a line over 8,192 bytes (bounded memory)', async () => {
    const many = await rawServer((s) => s.write(`${Array.from({length: 1025}, () => 'hello').join('\n')}\nSSH-2.0-TooChatty\r\n`))
    const long = await rawServer((s) => s.write(`${'y'.repeat(9000)}\r\nSSH-2.0-TooLong\r\n`))
    try {
      expect(byProbe(await sshProbeUnit.run(sshContext(many.port, 800)))['ssh.kexinit']!.error?.code).toBe('not-ssh')
      expect(byProbe(await sshProbeUnit.run(sshContext(long.port, 800)))['ssh.kexinit']!.error?.code).toBe('oversized')
    } finally {
      await many.close()
      await long.close()
    }
  })
})

/** Calls `after` with the socket once the client's KEXINIT and then `packets` more binary packets have arrived. */
function afterClientPackets(packets: number, after: (s: net.Socket) => void): (s: net.Socket) => void {
  return (s) => {
    s.write('SSH-2.0-HalfBroken\r\n', () => s.write(kexinit(LISTS)))
    let got = Buffer.alloc(0)
    let seen = -1 // the identification line, then packets
    s.on('data', (c: Buffer) => {
      got = Buffer.concat([got, c])
      if (seen === -1) {
        const nl = got.indexOf(0x0a)
        if (nl === -1) return
        got = got.subarray(nl + 1)
        seen = 0
      }
      while (got.length >= 4 && got.length >= 4 + got.readUInt32BE(0)) {
        got = got.subarray(4 + got.readUInt32BE(0))
        if (++seen === 1 + packets) after(s)
      }
    })
  }
}

describe('raw client: a server that breaks after its KEXINIT keeps what was observed', () => {
  it.each([
    ['closes when the key exchange starts', 1, (s: net.Socket) => s.destroy(), 'closed'],
    ['answers the key exchange with SSH_MSG_DISCONNECT', 1, (s: net.Socket) => s.write(buildPacket(Buffer.concat([Buffer.from([1, 0, 0, 0, 3, 0, 0, 0, 4]), Buffer.from('nope'), Buffer.alloc(4)]))), 'disconnect'],
    ['announces a 2 GB packet in its key exchange reply', 1, (s: net.Socket) => s.write(Buffer.from([0x7f, 0xff, 0xff, 0xff])), 'oversized'],
    ['falls silent once the key exchange starts', 1, () => {}, 'timeout'],
  ] as const)('%s: KEXINIT kept, host key and auth methods explained', async (_name, packets, behaviour, code) => {
    const target = await rawServer(afterClientPackets(packets, behaviour))
    try {
      const ctx = sshContext(target.port, 600)
      const started = Date.now()
      const r = byProbe(await sshProbeUnit.run(ctx))
      expectWithinBound(Date.now() - started, 8000)
      expect(r['ssh.kexinit']!.error).toBeUndefined()
      expect(r['ssh.kexinit']!.data).toMatchObject({software: 'HalfBroken', kex: ['curve25519-sha256'], hostKey: ['ssh-ed25519']})
      const keys = (r['ssh.hostkeys']!.data as {keys: Array<{algorithm: string; error?: string}>}).keys
      expect(keys.map((k) => k.algorithm)).toEqual(['ssh-ed25519'])
      expect(keys[0]!.error).toMatch(new RegExp(`^${code}: `))
      // The raw client's failure, then the ssh2 fallback's: both named.
      expect(r['ssh.auth-methods']!.error?.message).toContain(`raw client: ${code}`)
    } finally {
      await target.close()
    }
  })
})
