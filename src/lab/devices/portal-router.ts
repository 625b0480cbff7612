/**
 * portal-router: an HTTP admin UI whose logins are not at `/`. The root page is a plain portal linking to
 * `/login` (an HTML form posting to /login, session cookie, then /status) and `/admin` (HTTP Basic, realm
 * "Portal"). The form takes admin/admin and the Basic realm admin/password — the first two generic-top pairs,
 * also in the default lists — so cred.default.http and cred.weak.dictionary fail only if the cred module tests
 * the logins the HTTP surface discovered, not just `/`.
 */
import {createHash, randomBytes} from 'node:crypto'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'

import {listenTracked} from '../server.js'
import type {LabDeviceDefinition} from './types.js'

const PORTAL = '<html><head><title>Welcome</title></head><body><h1>Home network</h1><ul><li><a href="/login">Sign in</a></li><li><a href="/admin">Advanced settings</a></li></ul></body></html>'
const FORM = '<html><body><form method="post" action="/login"><input type="text" name="user"><input type="password" name="pass"><input type="submit"></form></body></html>'
const STATUS = '<html><body><h1>Router status</h1><p>WAN: up</p></body></html>'
/** Form bodies are small: a bigger one is not a login. */
const MAX_FORM_BYTES = 4096

function handler(sessions: Set<string>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, {'content-type': 'text/html', ...headers})
      res.end(body)
    }
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/') return send(200, PORTAL)
    if (path === '/admin') {
      const h = req.headers.authorization ?? ''
      const decoded = h.startsWith('Basic ') ? Buffer.from(h.slice(6), 'base64').toString('utf8') : ''
      if (decoded === 'admin:password') return send(200, STATUS)
      return send(401, '<html><body>Authorization required</body></html>', {'www-authenticate': 'Basic realm="Portal"'})
    }
    if (path === '/status') {
      const sid = /(?:^|;\s*)sid=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1]
      return sid && sessions.has(sid) ? send(200, STATUS) : send(302, '', {location: '/login'})
    }
    if (path === '/login' && req.method === 'POST') {
      let body = ''
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8')
        if (body.length > MAX_FORM_BYTES) req.destroy()
      })
      req.on('end', () => {
        const f = new URLSearchParams(body)
        if (f.get('user') === 'admin' && f.get('pass') === 'admin') {
          const sid = createHash('sha256').update(randomBytes(16)).digest('hex').slice(0, 32)
          sessions.add(sid)
          if (sessions.size > 1000) sessions.delete(sessions.values().next().value!)
          return send(302, '', {location: '/status', 'set-cookie': `sid=${sid}; HttpOnly; Path=/`})
        }
        send(200, FORM.replace('<form', '<p>Login failed</p><form'))
      })
      return
    }
    if (path === '/login') return send(200, FORM)
    send(404, '<html><body>Not found</body></html>')
  }
}

export const portalRouter: LabDeviceDefinition = {
  name: 'portal-router',
  description: 'Router whose root page only links to its logins: an HTML form at /login (admin/admin) and HTTP Basic at /admin (admin/password)',
  portOffset: 12,
  async start({host, port}) {
    return listenTracked(createServer(handler(new Set())) as unknown as import('node:net').Server, host, port, 'http')
  },
}
