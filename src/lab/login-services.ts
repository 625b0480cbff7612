/**
 * Login services for the credential-testing lab devices: an SSH server (ssh2) that grants password logins, a
 * BusyBox-style Telnet login that reaches a shell prompt, and an HTTP admin page behind Basic, Digest or an HTML
 * form. Each takes an `accept(user, pass)` rule and an optional lockout (after N failures, counted per service:
 * SSH then refuses connections, Telnet says "account locked" and hangs up, HTTP answers 429).
 */
import {createHash, randomBytes} from 'node:crypto'
import {createServer as createHttpServer, type IncomingMessage, type ServerResponse} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import {createServer, type Socket} from 'node:net'

import ssh2 from 'ssh2'

import {expectedDigestResponse, parseChallenges} from '../probes/cred/digest.js'
import type {StartedDevice} from './devices/types.js'
import {listenTracked} from './server.js'
import {listenSsh, newHostKey} from './ssh-service.js'

const {Server} = ssh2

export type AcceptRule = (username: string, password: string) => boolean

export interface LoginServiceOptions {
  accept: AcceptRule
  /** SSH only: offer keyboard-interactive instead of password (devices with a PAM-style login). */
  keyboardInteractive?: boolean
  /** Failures after which the service locks (undefined = never). */
  lockAfter?: number
}

class FailureCounter {
  failures = 0
  constructor(private readonly lockAfter?: number) {}
  get locked(): boolean {
    return this.lockAfter !== undefined && this.failures >= this.lockAfter
  }
}

export async function startLoginSsh(o: LoginServiceOptions, host: string, port: number): Promise<StartedDevice> {
  // Each device its own host key, as real devices should have (the batch check flags shared keys).
  const sshKey = newHostKey({type: 'ed25519'})
  const counter = new FailureCounter(o.lockAfter)
  const clients = new Set<{end(): void}>()
  const server = new Server({hostKeys: [sshKey], ident: 'OpenSSH_8.4p1 Lab'}, (client) => {
    clients.add(client)
    client.on('close', () => clients.delete(client))
    client.on('error', () => {})
    const method = o.keyboardInteractive ? 'keyboard-interactive' : 'password'
    const judge = (username: string, password: string): boolean => {
      if (!counter.locked && o.accept(username, password)) return true
      counter.failures++
      // Lockout: from now on ssh2 drops new TCP connections at once (a refusal, as a blocking sshd/fail2ban does).
      if (counter.locked) server.maxConnections = 0
      return false
    }
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && method === 'password') return judge(ctx.username, ctx.password) ? ctx.accept() : ctx.reject([method])
      if (ctx.method === 'keyboard-interactive' && method === 'keyboard-interactive') {
        return ctx.prompt([{prompt: 'Password: ', echo: false}], (answers) => (judge(ctx.username, answers[0] ?? '') ? ctx.accept() : ctx.reject([method])))
      }
      ctx.reject([method])
    })
    client.on('ready', () => client.end())
  })
  return listenSsh(server, clients, host, port)
}

const IAC = 255

/** `closeOnFailure`: hang up after one wrong login (many embedded telnetds do; hydra's telnet module expects it). */
export async function startLoginTelnet(o: LoginServiceOptions & {hostname: string; closeOnFailure?: boolean}, host: string, port: number): Promise<StartedDevice> {
  const counter = new FailureCounter(o.lockAfter)
  const server = createServer((socket) => {
    socket.setNoDelay(true)
    let line = ''
    let user = ''
    let stage: 'login' | 'password' | 'shell' = 'login'
    // WILL ECHO, WILL SUPPRESS-GO-AHEAD, as BusyBox telnetd does.
    socket.write(Buffer.from([IAC, 251, 1, IAC, 251, 3]))
    if (counter.locked) {
      socket.end('\r\nToo many failed login attempts: account locked\r\n')
      return
    }
    socket.write(`\r\n${o.hostname} login: `)
    socket.on('data', (chunk: Buffer) => {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!
        if (b === IAC) {
          i += chunk[i + 1] !== undefined && chunk[i + 1]! >= 251 ? 2 : 1
          continue
        }
        line += String.fromCharCode(b)
      }
      if (line.length > 1024) return socket.destroy()
      let nl: number
      while ((nl = line.search(/[\r\n]/)) !== -1) {
        const text = line.slice(0, nl)
        line = line.slice(nl + 1).replace(/^[\n\0]/, '')
        if (stage === 'login') {
          user = text
          stage = 'password'
          socket.write('\r\nPassword: ')
        } else if (stage === 'password') {
          if (o.accept(user, text)) {
            stage = 'shell'
            socket.write(`\r\n\r\nBusyBox v1.31.1 built-in shell (ash)\r\n\r\n${user === 'root' ? '#' : '$'} `)
            continue
          }
          counter.failures++
          if (counter.locked) return void socket.end('\r\nToo many failed login attempts: account locked\r\n')
          if (o.closeOnFailure) return void socket.end('\r\nLogin incorrect\r\n')
          stage = 'login'
          socket.write(`\r\nLogin incorrect\r\n${o.hostname} login: `)
        } else {
          socket.end('\r\nlogout\r\n')
        }
      }
    })
  })
  return listenTracked(server, host, port, 'telnet')
}

export type HttpLoginKind = 'basic' | 'digest' | 'form'

const ADMIN_PAGE = '<html><body><h1>Router administration</h1><p>Status: online</p></body></html>'
const FORM_PAGE =
  '<html><body><form method="post" action="/login"><input type="hidden" name="csrf" value="lab-token">' +
  '<input type="text" name="user"><input type="password" name="pass"><input type="submit"></form></body></html>'

/** Digest needs the stored password (the server recomputes the response), so digest devices list their users. */
/** Serve over TLS (lab-CA leaf) with these extra headers on every response (HSTS, security headers). */
export interface LoginHttpsOptions {
  keyPem: string
  certPem: string
  ciphers: string
  ecdhCurve: string
  headers: Record<string, string>
}

export async function startLoginHttp(
  o: LoginServiceOptions & {kind: HttpLoginKind; realm: string; digestUsers?: Record<string, string>; https?: LoginHttpsOptions},
  host: string,
  port: number,
): Promise<StartedDevice> {
  const counter = new FailureCounter(o.lockAfter)
  const sessions = new Set<string>()
  const nonces = new Set<string>()
  const challenge = () => {
    if (o.kind === 'basic') return `Basic realm="${o.realm}"`
    const nonce = randomBytes(16).toString('hex')
    nonces.add(nonce)
    if (nonces.size > 1000) nonces.delete(nonces.values().next().value!)
    return `Digest realm="${o.realm}", qop="auth", algorithm=SHA-256, nonce="${nonce}", opaque="lab"`
  }
  const authorized = (req: IncomingMessage): boolean | undefined => {
    const h = req.headers.authorization
    if (!h) return undefined
    if (o.kind === 'basic' && h.startsWith('Basic ')) {
      const decoded = Buffer.from(h.slice(6), 'base64').toString('utf8')
      const at = decoded.indexOf(':')
      return at > 0 && o.accept(decoded.slice(0, at), decoded.slice(at + 1))
    }
    if (o.kind === 'digest' && h.startsWith('Digest ')) {
      const params = parseChallenges([h])[0]?.params ?? {}
      if (!params.nonce || !nonces.has(params.nonce) || !params.username) return false
      nonces.delete(params.nonce)
      const password = o.digestUsers?.[params.username]
      return password !== undefined && expectedDigestResponse(params, req.method ?? 'GET', password) === params.response
    }
    return false
  }
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, {'content-type': 'text/html', ...o.https?.headers, ...headers})
      res.end(body)
    }
    if (counter.locked) return send(429, '<html><body>Too many failed login attempts: locked for 10 minutes</body></html>')
    if (o.kind !== 'form') {
      const ok = authorized(req)
      if (ok) return send(200, ADMIN_PAGE)
      if (ok === false) counter.failures++
      return send(401, '<html><body>Authorization required</body></html>', {'www-authenticate': challenge()})
    }
    const cookie = /(?:^|;\s*)sid=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1]
    if (req.url === '/admin') return cookie && sessions.has(cookie) ? send(200, ADMIN_PAGE) : send(302, '', {location: '/'})
    if (req.url === '/login' && req.method === 'POST') {
      let body = ''
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8')
        if (body.length > 4096) req.destroy()
      })
      req.on('end', () => {
        const f = new URLSearchParams(body)
        if (f.get('csrf') === 'lab-token' && o.accept(f.get('user') ?? '', f.get('pass') ?? '')) {
          const sid = createHash('sha256').update(randomBytes(16)).digest('hex').slice(0, 32)
          sessions.add(sid)
          return send(302, '', {location: '/admin', 'set-cookie': `sid=${sid}; HttpOnly; Path=/`})
        }
        counter.failures++
        send(200, FORM_PAGE.replace('<form', '<p>Login failed</p><form'))
      })
      return
    }
    send(200, FORM_PAGE)
  }
  if (o.https) {
    const {keyPem, certPem, ciphers, ecdhCurve} = o.https
    const server = createHttpsServer({key: keyPem, cert: certPem, minVersion: 'TLSv1.2', ciphers, honorCipherOrder: true, ecdhCurve}, handler)
    server.on('tlsClientError', () => {})
    return listenTracked(server as unknown as import('node:net').Server, host, port, 'https')
  }
  return listenTracked(createHttpServer(handler) as unknown as import('node:net').Server, host, port, 'http')
}
