/**
 * Telnet and FTP probe units against the old-nvr lab device and against hostile TCP servers (silent,
 * garbage, endless, slow drip, reset, never-ending multi-line replies): every failure is an emission with
 * `error`, within the ctx.timeoutMs-based bounds. No real telnetd / vsftpd daemon is started.
 */
import {createHash} from 'node:crypto'
import net from 'node:net'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {check as ftpAnonymous} from '../../checks/svc/ftp-anonymous.js'
import {check as ftpCleartext} from '../../checks/svc/ftp-cleartext-auth.js'
import {check as telnetExposed} from '../../checks/svc/telnet-exposed.js'
import {evaluateCleartextBanner} from '../../checks/svc/version-disclosure.js'
import type {Check} from '../../src/checks/types.js'
import {toObservation} from '../../src/engine/run-unit.js'
import type {Service} from '../../src/evidence/types.js'
import {OLD_NVR_FTP_GREETING, oldNvr} from '../../src/lab/devices/old-nvr.js'
import type {StartedDevice} from '../../src/lab/devices/types.js'
import {ANONYMOUS_PASSWORD, ftpProbeUnit} from '../../src/probes/ftp/unit.js'
import {telnetProbeUnit} from '../../src/probes/telnet/unit.js'
import type {ProbeEmission} from '../../src/probes/types.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'
import {makeProbeContext, type TestProbeContext} from '../helpers/probe-context.js'
import {expectWithinBound} from '../helpers/bounds.js'

function context(protocol: 'telnet' | 'ftp', port: number, timeoutMs = 1500): TestProbeContext {
  const ctx = makeProbeContext(port, {timeoutMs})
  ctx.service = {...ctx.service, id: `${protocol}://127.0.0.1:${port}`, protocol}
  return ctx
}

function portOf(target: string): number {
  return Number(new URL(target).port)
}

interface Running {
  port: number
  /** Bytes each connection sent to the server, in connection order. */
  received: Buffer[]
  close(): Promise<void>
}

function rawServer(onConnection: (s: net.Socket, index: number) => void): Promise<Running> {
  const sockets = new Set<net.Socket>()
  const received: Buffer[] = []
  const server = net.createServer((s) => {
    const index = received.length
    received.push(Buffer.alloc(0))
    sockets.add(s)
    s.on('error', () => {})
    s.on('close', () => sockets.delete(s))
    s.on('data', (d: Buffer) => {
      received[index] = Buffer.concat([received[index]!, d])
    })
    onConnection(s, index)
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        received,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy()
            server.close(() => r())
          }),
      }),
    ),
  )
}

/** Deterministic binary garbage (no IAC at the start). */
function garbage(n: number): Buffer {
  const parts: Buffer[] = []
  let seed = Buffer.from('sg17scan garbage')
  while (Buffer.concat(parts).length < n) {
    seed = createHash('sha256').update(seed).digest()
    parts.push(seed)
  }
  const out = Buffer.concat(parts).subarray(0, n)
  out[0] = 0x01
  return out
}

async function timed(f: () => Promise<ProbeEmission[]>): Promise<{emission: ProbeEmission; ms: number}> {
  const started = Date.now()
  const [emission] = await f()
  return {emission: emission!, ms: Date.now() - started}
}

function checkInput(check: Check, service: Service, emission: ProbeEmission) {
  const observation = toObservation(service, emission, new Date().toISOString())
  return {
    service,
    observations: {[observation.probe]: observation},
    thresholds: DEFAULT_THRESHOLDS,
    now: new Date(),
    severity: check.defaultSeverity,
  }
}

describe('old-nvr lab device', () => {
  let device: StartedDevice
  let telnetPort: number
  let ftpPort: number
  beforeAll(async () => {
    device = await oldNvr.start({host: '127.0.0.1', port: 0})
    expect(device.targets).toHaveLength(2)
    telnetPort = portOf(device.targets.find((t) => t.startsWith('telnet://'))!)
    ftpPort = portOf(device.targets.find((t) => t.startsWith('ftp://'))!)
  })
  afterAll(() => device.stop())

  it('Telnet: negotiates, reads the BusyBox banner up to the login prompt, sends no credentials', async () => {
    const ctx = context('telnet', telnetPort)
    const {emission, ms} = await timed(() => telnetProbeUnit.run(ctx))
    expect(emission.error).toBeUndefined()
    expect(emission.probe).toBe('telnet.banner')
    expect(emission.data).toMatchObject({loginPrompt: true, promptText: 'nvr login:', endedBy: 'prompt'})
    expect(emission.data.banner).toContain('BusyBox v1.31.1')
    expect(emission.data.banner).not.toMatch(/[\x00-\x08\x0b-\x1f\xff]/)
    expect(emission.data.negotiatedOptions).toEqual([
      {received: 'DO', option: 24, name: 'TERMINAL-TYPE', sent: 'WONT'},
      {received: 'DO', option: 31, name: 'NAWS', sent: 'WONT'},
      {received: 'WILL', option: 1, name: 'ECHO', sent: 'DO'},
      {received: 'WILL', option: 3, name: 'SUPPRESS-GO-AHEAD', sent: 'DO'},
    ])
    expect(emission.data.bytes).toBeGreaterThan(50)
    expect(emission.artifacts?.[0]).toMatchObject({kind: 'telnet-raw', encoding: 'hex'})
    expect(emission.artifacts?.[0]?.content.startsWith('fffd18')).toBe(true)
    expect(ctx.connections).toBe(1)
    expectWithinBound(ms, 1500)

    const service = ctx.service
    const exposed = telnetExposed.evaluate(checkInput(telnetExposed, service, emission))
    expect(exposed.outcome).toBe('fail')
    expect(exposed.message).toContain('"nvr login:"')
    expect(evaluateCleartextBanner(checkInput(telnetExposed, service, emission))).toMatchObject({outcome: 'fail'})
  })

  it('FTP: greeting, FEAT without AUTH TLS, AUTH TLS refused, anonymous accepted, QUIT', async () => {
    const ctx = context('ftp', ftpPort)
    const {emission} = await timed(() => ftpProbeUnit.run(ctx))
    expect(emission.error).toBeUndefined()
    expect(emission.data).toEqual({
      banner: OLD_NVR_FTP_GREETING.slice(4),
      features: ['EPRT', 'EPSV', 'MDTM', 'PASV', 'REST STREAM', 'SIZE', 'TVFS', 'UTF8'],
      authTls: false,
      anonymous: 'accepted',
      replies: [
        {command: '(greeting)', code: 220},
        {command: 'FEAT', code: 211},
        {command: 'AUTH TLS', code: 530},
        {command: 'USER anonymous', code: 331},
        {command: 'PASS ***', code: 230},
        {command: 'QUIT', code: 221},
      ],
    })
    const transcript = emission.artifacts?.[0]
    expect(transcript).toMatchObject({kind: 'ftp-transcript', encoding: 'utf8'})
    expect(transcript?.content).toContain('C: PASS ***')
    expect(transcript?.content).not.toContain(ANONYMOUS_PASSWORD)
    expect(ctx.connections).toBe(1)

    const service = ctx.service
    expect(ftpCleartext.evaluate(checkInput(ftpCleartext, service, emission)).outcome).toBe('fail')
    expect(ftpAnonymous.evaluate(checkInput(ftpAnonymous, service, emission)).outcome).toBe('fail')
    const banner = evaluateCleartextBanner(checkInput(ftpAnonymous, service, emission))
    expect(banner?.outcome).toBe('fail')
    expect(banner?.message).toContain('vsFTPd 3.0.3')
  })
})

describe('Telnet probe: what it sends', () => {
  it('answers option commands only, never a user name or password', async () => {
    const srv = await rawServer((s) => {
      s.write(Buffer.from([255, 253, 24, 255, 253, 39, 255, 251, 1, 255, 251, 34, 255, 253, 24]))
      setTimeout(() => s.write('Welcome\r\nUsername: '), 30)
    })
    try {
      const ctx = context('telnet', srv.port)
      const [e] = await telnetProbeUnit.run(ctx)
      expect(e!.data).toMatchObject({loginPrompt: true, promptText: 'Username:'})
      await new Promise((r) => setTimeout(r, 50))
      // WONT TERMINAL-TYPE, WONT NEW-ENVIRON, DO ECHO, DONT LINEMODE — the repeated DO gets no second answer.
      expect([...srv.received[0]!]).toEqual([255, 252, 24, 255, 252, 39, 255, 253, 1, 255, 254, 34])
    } finally {
      await srv.close()
    }
  })

  it('a server that sends text and goes quiet: banner without prompt, ended by the quiet period', async () => {
    const srv = await rawServer((s) => s.write('Linux 4.9.0 (router)\r\n\r\n'))
    try {
      const ctx = context('telnet', srv.port, 600)
      const {emission, ms} = await timed(() => telnetProbeUnit.run(ctx))
      expect(emission.error).toBeUndefined()
      expect(emission.data).toMatchObject({banner: 'Linux 4.9.0 (router)', loginPrompt: false, endedBy: 'quiet', negotiatedOptions: []})
      expectWithinBound(ms, 1500)
    } finally {
      await srv.close()
    }
  })
})

describe('FTP probe: AUTH TLS handling', () => {
  it('234 to AUTH TLS: closes that connection at once, tests anonymous on a second one', async () => {
    const srv = await rawServer((s, index) => {
      s.write('220 FTP server ready\r\n')
      s.on('data', (d: Buffer) => {
        for (const line of d.toString().split('\r\n').filter(Boolean)) {
          if (line === 'FEAT') s.write('500 Unknown command\r\n')
          else if (line === 'AUTH TLS') s.write('234 Proceed with negotiation.\r\n')
          else if (line.startsWith('USER')) s.write('331 Password required\r\n')
          else if (line.startsWith('PASS')) s.write('530 Login incorrect.\r\n')
          else if (line === 'QUIT') s.end('221 Bye\r\n')
        }
      })
      void index
    })
    try {
      const ctx = context('ftp', srv.port)
      const [e] = await ftpProbeUnit.run(ctx)
      expect(e!.error).toBeUndefined()
      expect(e!.data).toMatchObject({banner: 'FTP server ready', features: [], authTls: true, anonymous: 'refused'})
      expect((e!.data.replies as Array<{command: string}>).map((r) => r.command)).toEqual([
        '(greeting)', 'FEAT', 'AUTH TLS', '(greeting)', 'USER anonymous', 'PASS ***', 'QUIT',
      ])
      await new Promise((r) => setTimeout(r, 50))
      expect(srv.received[0]!.toString()).toBe('FEAT\r\nAUTH TLS\r\n')
      expect(srv.received[1]!.toString()).toBe(`USER anonymous\r\nPASS ${ANONYMOUS_PASSWORD}\r\nQUIT\r\n`)
      expect(ctx.connections).toBe(2)
    } finally {
      await srv.close()
    }
  })

  it('AUTH TLS in FEAT: no AUTH TLS command is sent; multi-line greeting becomes the banner', async () => {
    const srv = await rawServer((s) => {
      s.write('220-Welcome to the recorder\r\n220-ProFTPD 1.3.5 Server\r\n220 Ready\r\n')
      s.on('data', (d: Buffer) => {
        for (const line of d.toString().split('\r\n').filter(Boolean)) {
          if (line === 'FEAT') s.write('211-Features:\r\n AUTH TLS\r\n PBSZ\r\n PROT\r\n211 End\r\n')
          else if (line.startsWith('USER')) s.write('530 Non-anonymous sessions must use encryption.\r\n')
          else if (line === 'QUIT') s.end('221 Goodbye.\r\n')
          else s.write('500 ?\r\n')
        }
      })
    })
    try {
      const [e] = await ftpProbeUnit.run(context('ftp', srv.port))
      expect(e!.data).toMatchObject({
        banner: 'Welcome to the recorder\nProFTPD 1.3.5 Server\nReady',
        features: ['AUTH TLS', 'PBSZ', 'PROT'],
        authTls: true,
        anonymous: 'refused',
      })
      await new Promise((r) => setTimeout(r, 50))
      expect(srv.received[0]!.toString()).toBe('FEAT\r\nUSER anonymous\r\nQUIT\r\n')
    } finally {
      await srv.close()
    }
  })

  it('USER answered 230 directly counts as accepted; a server closing after USER leaves anonymous not-tested', async () => {
    const direct = await rawServer((s) => {
      s.write('220 x\r\n')
      s.on('data', (d: Buffer) => {
        const line = d.toString().trim()
        if (line === 'FEAT') s.write('502 no\r\n')
        else if (line === 'AUTH TLS') s.write('502 no\r\n')
        else if (line.startsWith('USER')) s.write('230 Welcome, guest\r\n')
        else if (line === 'QUIT') s.end('221 bye\r\n')
      })
    })
    const closing = await rawServer((s) => {
      s.write('220 x\r\n')
      s.on('data', (d: Buffer) => {
        const line = d.toString().trim()
        if (line.startsWith('USER')) s.destroy()
        else s.write('502 no\r\n')
      })
    })
    try {
      const [a] = await ftpProbeUnit.run(context('ftp', direct.port))
      expect(a!.data).toMatchObject({anonymous: 'accepted', authTls: false})
      const [b] = await ftpProbeUnit.run(context('ftp', closing.port))
      expect(b!.error).toBeUndefined()
      expect(b!.data).toMatchObject({anonymous: 'not-tested', authTls: false})
    } finally {
      await direct.close()
      await closing.close()
    }
  })
})

const T = 500

describe('hostile servers → errors within the bounds', () => {
  const cases: Array<{name: string; protocol: 'telnet' | 'ftp'; serve: (s: net.Socket) => void; code: string; maxMs: number}> = [
    {name: 'silent (telnet)', protocol: 'telnet', serve: () => {}, code: 'timeout', maxMs: 2 * T},
    {name: 'silent (ftp)', protocol: 'ftp', serve: () => {}, code: 'timeout', maxMs: 2 * T},
    {name: 'reset (telnet)', protocol: 'telnet', serve: (s) => void setTimeout(() => s.resetAndDestroy(), 20), code: 'reset', maxMs: T},
    {name: 'reset (ftp)', protocol: 'ftp', serve: (s) => void setTimeout(() => s.resetAndDestroy(), 20), code: 'reset', maxMs: T},
    {name: 'closes at once (telnet)', protocol: 'telnet', serve: (s) => s.end(), code: 'closed', maxMs: T},
    {name: 'garbage (telnet)', protocol: 'telnet', serve: (s) => s.end(garbage(600)), code: 'not-telnet', maxMs: 2 * T},
    {name: 'garbage (ftp)', protocol: 'ftp', serve: (s) => s.write(garbage(600)), code: 'not-ftp', maxMs: 2 * T},
    {name: 'not FTP text (ftp)', protocol: 'ftp', serve: (s) => s.write('SSH-2.0-OpenSSH_9.2\r\n'), code: 'not-ftp', maxMs: T},
    {name: '421 greeting (ftp)', protocol: 'ftp', serve: (s) => s.end('421 Too many users\r\n'), code: 'unavailable', maxMs: T},
    {
      name: 'endless text without a prompt (telnet)',
      protocol: 'telnet',
      serve: (s) => {
        const timer = setInterval(() => (s.destroyed ? clearInterval(timer) : s.write('x'.repeat(4096) + '\r\n')), 5)
        s.on('close', () => clearInterval(timer))
      },
      code: 'oversized',
      maxMs: 3 * T,
    },
    {
      name: 'endless multi-line greeting (ftp)',
      protocol: 'ftp',
      serve: (s) => {
        s.write('220-hello\r\n')
        const timer = setInterval(() => (s.destroyed ? clearInterval(timer) : s.write('220-more and more text\r\n'.repeat(50))), 5)
        s.on('close', () => clearInterval(timer))
      },
      code: 'oversized',
      maxMs: 3 * T,
    },
    {
      name: 'a line without end (ftp)',
      protocol: 'ftp',
      serve: (s) => {
        const timer = setInterval(() => (s.destroyed ? clearInterval(timer) : s.write('220 ' + 'a'.repeat(1000))), 5)
        s.on('close', () => clearInterval(timer))
      },
      code: 'oversized',
      maxMs: 3 * T,
    },
    {
      name: 'never-ending multi-line FEAT reply, dripped (ftp)',
      protocol: 'ftp',
      serve: (s) => {
        s.write('220 ok\r\n')
        s.once('data', () => {
          s.write('211-Features:\r\n')
          const timer = setInterval(() => (s.destroyed ? clearInterval(timer) : s.write(' X\r\n')), Math.floor(T / 5))
          s.on('close', () => clearInterval(timer))
        })
      },
      code: 'timeout',
      maxMs: 9 * T,
    },
    {
      name: 'reset during FEAT (ftp)',
      protocol: 'ftp',
      serve: (s) => {
        s.write('220 ok\r\n')
        s.once('data', () => s.resetAndDestroy())
      },
      code: 'reset',
      maxMs: T,
    },
  ]

  for (const c of cases) {
    it(c.name, async () => {
      const srv = await rawServer(c.serve)
      try {
        const unit = c.protocol === 'telnet' ? telnetProbeUnit : ftpProbeUnit
        const {emission, ms} = await timed(() => unit.run(context(c.protocol, srv.port, T)))
        expect(emission.error?.code, JSON.stringify(emission.error)).toBe(c.code)
        expect(emission.data).toEqual({})
        expect(emission.error?.message.length).toBeGreaterThan(5)
        expectWithinBound(ms, c.maxMs)
      } finally {
        await srv.close()
      }
    })
  }

  it('a slow drip that never goes quiet (telnet) ends at the read window with what it got', async () => {
    const srv = await rawServer((s) => {
      const timer = setInterval(() => (s.destroyed ? clearInterval(timer) : s.write('.')), 50)
      s.on('close', () => clearInterval(timer))
    })
    try {
      const {emission, ms} = await timed(() => telnetProbeUnit.run(context('telnet', srv.port, T)))
      expect(emission.error).toBeUndefined()
      expect(emission.data).toMatchObject({loginPrompt: false, endedBy: 'deadline'})
      expectWithinBound(ms, 4 * T)
    } finally {
      await srv.close()
    }
  })

  it('a reset after negotiation only still shows a Telnet service (ended by reset, no error)', async () => {
    const srv = await rawServer((s) => s.write(Buffer.from([255, 253, 24]), () => void setTimeout(() => s.resetAndDestroy(), 20)))
    try {
      const {emission, ms} = await timed(() => telnetProbeUnit.run(context('telnet', srv.port, T)))
      expect(emission.error).toBeUndefined()
      expect(emission.data).toMatchObject({banner: '', loginPrompt: false, endedBy: 'reset', bytes: 3})
      expectWithinBound(ms, T)
    } finally {
      await srv.close()
    }
  })

  it('refused connection → error refused', async () => {
    const srv = await rawServer(() => {})
    const port = srv.port
    await srv.close()
    const [t] = await telnetProbeUnit.run(context('telnet', port, T))
    const [f] = await ftpProbeUnit.run(context('ftp', port, T))
    expect(t!.error?.code).toBe('refused')
    expect(f!.error?.code).toBe('refused')
  })
})
