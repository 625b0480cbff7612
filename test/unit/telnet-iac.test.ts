import {describe, expect, it} from 'vitest'

import {printable} from '../../src/probes/cleartext/text.js'
import {encodeOption, MAX_SB_BYTES, TelnetNegotiator, TelnetParser} from '../../src/probes/telnet/iac.js'
import {findLoginPrompt} from '../../src/probes/telnet/prompt.js'

const b = (...bytes: number[]): Buffer => Buffer.from(bytes)
const IAC = 255
const DONT = 254
const DO = 253
const WONT = 252
const WILL = 251
const SB = 250
const SE = 240

describe('TelnetParser (RFC 854/855)', () => {
  it('splits data from option commands', () => {
    const p = new TelnetParser()
    const out = p.push(Buffer.concat([b(IAC, DO, 24, IAC, WILL, 1), Buffer.from('hi'), b(IAC, DONT, 31, IAC, WONT, 3)]))
    expect(out.data.toString()).toBe('hi')
    expect(out.commands).toEqual([
      {kind: 'option', verb: 'DO', option: 24},
      {kind: 'option', verb: 'WILL', option: 1},
      {kind: 'option', verb: 'DONT', option: 31},
      {kind: 'option', verb: 'WONT', option: 3},
    ])
  })

  it('turns IAC IAC into one 255 data byte', () => {
    expect(new TelnetParser().push(b(0x41, IAC, IAC, 0x42)).data).toEqual(b(0x41, 255, 0x42))
  })

  it('completes sequences split across chunks', () => {
    const p = new TelnetParser()
    const a = p.push(b(0x61, IAC))
    const c = p.push(b(DO))
    const d = p.push(b(24, 0x62))
    expect(a.data.toString() + c.data.toString() + d.data.toString()).toBe('ab')
    expect([...a.commands, ...c.commands, ...d.commands]).toEqual([{kind: 'option', verb: 'DO', option: 24}])
  })

  it('swallows subnegotiation, including an escaped IAC, and reports its length', () => {
    const p = new TelnetParser()
    const out = p.push(Buffer.concat([b(IAC, SB, 24, 1, IAC, IAC, 7, IAC, SE), Buffer.from('x')]))
    expect(out.data.toString()).toBe('x')
    expect(out.commands).toEqual([{kind: 'sb', option: 24, length: 3, overflow: false}])
    const split = new TelnetParser()
    expect(split.push(b(IAC, SB, 31, 0, 80)).commands).toEqual([])
    expect(split.inSubnegotiation).toBe(true)
    expect(split.push(b(0, 24, IAC, SE, 0x7a)).data.toString()).toBe('z')
  })

  it('flags an overlong subnegotiation and invalid commands', () => {
    const p = new TelnetParser()
    p.push(Buffer.concat([b(IAC, SB, 24), Buffer.alloc(MAX_SB_BYTES + 1, 0x41), b(IAC, SE)]))
    expect(p.sbOverflows).toBe(1)
    const q = new TelnetParser()
    const out = q.push(b(IAC, 0x10, IAC, 241, 0x41))
    expect(q.invalidCommands).toBe(1)
    expect(out.commands).toEqual([{kind: 'command', code: 0x10}, {kind: 'command', code: 241}])
    expect(out.data.toString()).toBe('A')
  })
})

describe('TelnetNegotiator', () => {
  it('refuses every DO, accepts WILL ECHO / SGA, refuses other WILLs', () => {
    const n = new TelnetNegotiator()
    expect(n.answer('DO', 24)).toBe('WONT')
    expect(n.answer('DO', 1)).toBe('WONT')
    expect(n.answer('WILL', 1)).toBe('DO')
    expect(n.answer('WILL', 3)).toBe('DO')
    expect(n.answer('WILL', 34)).toBe('DONT')
    expect(n.answer('DONT', 24)).toBeUndefined()
  })

  it('never loops: repeated requests get no second answer, WONT is acknowledged only after a DO', () => {
    const n = new TelnetNegotiator()
    expect(n.answer('DO', 31)).toBe('WONT')
    expect(n.answer('DO', 31)).toBeUndefined()
    expect(n.answer('WILL', 1)).toBe('DO')
    expect(n.answer('WILL', 1)).toBeUndefined()
    expect(n.answer('WONT', 1)).toBe('DONT')
    expect(n.answer('WONT', 1)).toBeUndefined()
    expect(n.answer('WONT', 24)).toBeUndefined()
    expect(n.answer('WILL', 39)).toBe('DONT')
    expect(n.answer('WILL', 39)).toBeUndefined()
  })

  it('encodes the answers and records every command', () => {
    const n = new TelnetNegotiator()
    const {reply, records} = n.handle([
      {kind: 'option', verb: 'DO', option: 24},
      {kind: 'option', verb: 'WILL', option: 1},
      {kind: 'option', verb: 'WILL', option: 5},
      {kind: 'option', verb: 'DONT', option: 0},
      {kind: 'sb', option: 24, length: 1, overflow: false},
      {kind: 'command', code: 241},
    ])
    expect(reply).toEqual(b(IAC, WONT, 24, IAC, DO, 1, IAC, DONT, 5))
    expect(records).toEqual([
      {received: 'DO', option: 24, name: 'TERMINAL-TYPE', sent: 'WONT'},
      {received: 'WILL', option: 1, name: 'ECHO', sent: 'DO'},
      {received: 'WILL', option: 5, name: 'STATUS', sent: 'DONT'},
      {received: 'DONT', option: 0, name: 'BINARY'},
      {received: 'SB', option: 24, name: 'TERMINAL-TYPE', length: 1},
    ])
    expect(encodeOption('WONT', 200)).toEqual(b(IAC, WONT, 200))
  })
})

describe('login prompt and printable text', () => {
  it.each(['nvr login: ', '(none) login:', 'Username:', 'User Name :', 'Password: ', 'Login>', 'User:'])('prompt %j', (p) => {
    expect(findLoginPrompt(`Welcome\n\n${p}`)).toBe(p.trim())
  })
  it.each(['Welcome', 'Last login: Mon Jan 1 12:00:00 2024', 'BusyBox v1.31.1 built-in shell (ash)', '# ', 'login incorrect', ''])(
    'no prompt in %j',
    (t) => {
      expect(findLoginPrompt(t)).toBeUndefined()
    },
  )
  it('normalises line ends, strips ANSI escapes and controls', () => {
    expect(printable('a\r\nb\r\0c\rd')).toBe('a\nb\nc\nd')
    expect(printable('\x1b[2J\x1b[1;1HHello\x07 \x01world  \n')).toBe('Hello world\n')
    expect(printable('x'.repeat(20), 10)).toBe(`${'x'.repeat(10)}…`)
  })
})

describe('binary detection', () => {
  it('calls random bytes binary, 8-bit code-page text not', async () => {
    const {looksBinary} = await import('../../src/probes/cleartext/text.js')
    const {createHash} = await import('node:crypto')
    const random = Buffer.concat(Array.from({length: 16}, (_, i) => createHash('sha256').update(String(i)).digest()))
    expect(looksBinary(random)).toBe(true)
    expect(looksBinary(Buffer.from('Добро пожаловать на видеорегистратор', 'utf8'))).toBe(false)
    expect(looksBinary(Buffer.from([0xc4, 0xee, 0xe1, 0xf0, 0xee, 0x20, 0xef, 0xee, 0xe6, 0xe0, 0xeb, 0xee, 0xe2, 0xe0, 0xf2, 0xfc]))).toBe(false)
    expect(looksBinary(Buffer.from('\x1b[2J\x1b[H\x07Welcome\r\n\0', 'latin1'))).toBe(false)
  })
})
