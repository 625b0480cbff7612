/**
 * old-nvr: an old network video recorder with cleartext management services.
 *  - Telnet (BusyBox telnetd style): option negotiation (DO TERMINAL-TYPE, DO NAWS, WILL ECHO, WILL
 *    SUPPRESS-GO-AHEAD), a banner naming BusyBox v1.31.1, then "nvr login:". Every login fails; the
 *    connection closes after three attempts or OLD_NVR_TELNET_SESSION_MS. It never grants access.
 *  - FTP (vsFTPd style): "220 (vsFTPd 3.0.3)", FEAT without AUTH TLS, AUTH TLS refused with 530,
 *    anonymous login accepted (230), other logins refused, no data connections, QUIT → 221.
 * Expected to fail svc.telnet.exposed, svc.ftp.cleartext-auth, svc.ftp.anonymous and disclose versions.
 */
import {createServer, type Socket} from 'node:net'

import {listenTracked, SECOND_SERVICE_PORT_OFFSET, startServices} from '../server.js'
import type {LabDeviceDefinition} from './types.js'

export const OLD_NVR_TELNET_BANNER = 'BusyBox v1.31.1 (2019-05-07 10:12:33 CST) built-in shell (ash)'
export const OLD_NVR_FTP_GREETING = '220 (vsFTPd 3.0.3)'
export const OLD_NVR_TELNET_SESSION_MS = 10_000
/** A client line longer than this closes the connection (the lab never buffers without bound). */
const MAX_CLIENT_LINE = 1024

const IAC = 255
const DO = 253
const WILL = 251
const SB = 250
const SE = 240

/** Strips Telnet commands from client input (the lab does not act on the client's answers). */
function stripTelnet(chunk: Buffer, state: {mode: 'data' | 'iac' | 'opt' | 'sb' | 'sb-iac'}): string {
  let out = ''
  for (const b of chunk) {
    switch (state.mode) {
      case 'data':
        if (b === IAC) state.mode = 'iac'
        else out += String.fromCharCode(b)
        break
      case 'iac':
        if (b >= 251 && b <= 254) state.mode = 'opt'
        else if (b === SB) state.mode = 'sb'
        else state.mode = 'data'
        break
      case 'opt':
        state.mode = 'data'
        break
      case 'sb':
        if (b === IAC) state.mode = 'sb-iac'
        break
      case 'sb-iac':
        state.mode = b === SE ? 'data' : 'sb'
        break
    }
  }
  return out
}

function telnetSession(socket: Socket): void {
  socket.setNoDelay(true)
  const state = {mode: 'data' as 'data' | 'iac' | 'opt' | 'sb' | 'sb-iac'}
  let line = ''
  let awaiting: 'login' | 'password' = 'login'
  let failures = 0
  const timers: NodeJS.Timeout[] = []
  const later = (ms: number, fn: () => void): void => {
    timers.push(setTimeout(() => !socket.destroyed && fn(), ms))
  }
  socket.once('close', () => timers.forEach(clearTimeout))
  // Negotiation first, as BusyBox telnetd does; the banner follows once the client had time to answer.
  socket.write(Buffer.from([IAC, DO, 24, IAC, DO, 31, IAC, WILL, 1, IAC, WILL, 3]))
  later(50, () => socket.write(`\r\nNVR-3000 Network Video Recorder\r\n${OLD_NVR_TELNET_BANNER}\r\n\r\nnvr login: `))
  later(OLD_NVR_TELNET_SESSION_MS, () => socket.end('\r\nLogin timed out after 10 seconds\r\n'))
  socket.on('data', (chunk: Buffer) => {
    line += stripTelnet(chunk, state)
    if (line.length > MAX_CLIENT_LINE) {
      socket.destroy()
      return
    }
    let nl: number
    while ((nl = line.search(/[\r\n]/)) !== -1) {
      line = line.slice(nl + 1).replace(/^[\n\0]/, '')
      if (awaiting === 'login') {
        awaiting = 'password'
        socket.write('\r\nPassword: ')
      } else {
        awaiting = 'login'
        failures++
        // Never grants access: every password is wrong, after the usual delay.
        later(300, () => {
          if (failures >= 3) socket.end('\r\nLogin incorrect\r\n')
          else socket.write('\r\nLogin incorrect\r\nnvr login: ')
        })
      }
    }
  })
}

const FEATURES = ['EPRT', 'EPSV', 'MDTM', 'PASV', 'REST STREAM', 'SIZE', 'TVFS', 'UTF8']

function ftpSession(socket: Socket): void {
  socket.setNoDelay(true)
  socket.setEncoding('latin1')
  let buffer = ''
  let user: string | undefined
  let loggedIn = false
  const reply = (text: string): void => {
    if (!socket.destroyed) socket.write(`${text}\r\n`)
  }
  reply(OLD_NVR_FTP_GREETING)
  socket.on('data', (chunk: string) => {
    buffer += chunk
    if (buffer.length > MAX_CLIENT_LINE) {
      reply('500 Input line too long.')
      socket.destroy()
      return
    }
    let nl: number
    while ((nl = buffer.indexOf('\n')) !== -1) {
      const lineText = buffer.slice(0, nl).replace(/\r$/, '')
      buffer = buffer.slice(nl + 1)
      const space = lineText.indexOf(' ')
      const verb = (space === -1 ? lineText : lineText.slice(0, space)).toUpperCase()
      const arg = space === -1 ? '' : lineText.slice(space + 1)
      switch (verb) {
        case 'FEAT':
          reply(['211-Features:', ...FEATURES.map((f) => ` ${f}`), '211 End'].join('\r\n'))
          break
        case 'SYST':
          reply('215 UNIX Type: L8')
          break
        case 'NOOP':
          reply('200 NOOP ok.')
          break
        case 'QUIT':
          reply('221 Goodbye.')
          socket.end()
          return
        case 'USER':
          if (loggedIn) {
            reply('530 Can\'t change to another user.')
          } else {
            user = arg
            reply('331 Please specify the password.')
          }
          break
        case 'PASS':
          if (loggedIn) reply('230 Already logged in.')
          else if (user === undefined) reply('503 Login with USER first.')
          else if (user.toLowerCase() === 'anonymous' || user.toLowerCase() === 'ftp') {
            loggedIn = true
            reply('230 Login successful.')
          } else {
            user = undefined
            reply('530 Login incorrect.')
          }
          break
        default:
          // No TLS, no data connections: anything else is refused, the way vsftpd answers before login.
          reply(loggedIn ? '502 Command not implemented.' : '530 Please login with USER and PASS.')
      }
    }
  })
}

export const oldNvr: LabDeviceDefinition = {
  name: 'old-nvr',
  description:
    'Network video recorder with cleartext services: BusyBox-style Telnet login (version in the banner, never grants access) and vsFTPd-style FTP without AUTH TLS that accepts anonymous logins',
  portOffset: 3,
  async start({host, port}) {
    const telnet = createServer(telnetSession)
    const ftp = createServer(ftpSession)
    return startServices([
      () => listenTracked(telnet, host, port, 'telnet'),
      () => listenTracked(ftp, host, port === 0 ? 0 : port + SECOND_SERVICE_PORT_OFFSET, 'ftp'),
    ])
  },
}
