/**
 * secure-admin: a well-configured HTTPS admin UI. TLS as good-gateway (TLS 1.2/1.3, ECDHE AEAD, lab-CA leaf),
 * HSTS for one year with includeSubDomains, a __Host- session cookie with Secure, HttpOnly and
 * SameSite=Strict, CSP / X-Frame-Options / X-Content-Type-Options / Referrer-Policy on every response, no
 * version in Server, authentication required for everything except the login page (which posts over
 * HTTPS), and a plain-HTTP port that only redirects to HTTPS. Expected to pass every HTTP check (and, with
 * the lab CA as trust anchor, its TLS checks).
 */
import {createServer as createHttpServer, type IncomingMessage, type ServerResponse} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'

import {issueLeaf} from '../ca.js'
import {formatHostForUri, listenTracked, SECOND_SERVICE_PORT_OFFSET, startServices} from '../server.js'
import {goodGatewayTlsOptions} from './good-gateway.js'
import type {LabDeviceDefinition, StartedDevice} from './types.js'

export const SECURE_ADMIN_HSTS = 'max-age=31536000; includeSubDomains'
/** The session cookie value (fixed, so redaction tests can grep for it). */
export const SECURE_ADMIN_SESSION_VALUE = 'a9f3c2e1d0b84f6e9c7a5b3d1e2f4a6c'

const SECURITY_HEADERS = {
  'strict-transport-security': SECURE_ADMIN_HSTS,
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  server: 'secure-admin',
}

const LOGIN_PAGE = `<!DOCTYPE html>
<html><head><title>Gateway administration - Sign in</title></head>
<body>
<form action="/login" method="post">
  <input type="text" name="username" autocomplete="username">
  <input type="password" name="password" autocomplete="current-password">
  <button type="submit">Sign in</button>
</form>
</body></html>
`

function handleHttps(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0]
  if (path === '/') {
    res.writeHead(302, {...SECURITY_HEADERS, location: '/login', 'content-length': 0})
    res.end()
  } else if (path === '/login') {
    const body = Buffer.from(LOGIN_PAGE)
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/html; charset=utf-8',
      'content-length': body.length,
      'set-cookie': `__Host-sessionid=${SECURE_ADMIN_SESSION_VALUE}; Path=/; Secure; HttpOnly; SameSite=Strict`,
    })
    res.end(body)
  } else {
    // Everything else needs a session: API clients get 401, nothing is disclosed.
    const body = Buffer.from('{"error":"authentication required"}')
    res.writeHead(401, {...SECURITY_HEADERS, 'www-authenticate': 'Bearer realm="secure-admin"', 'content-type': 'application/json', 'content-length': body.length})
    res.end(body)
  }
}

export const secureAdmin: LabDeviceDefinition = {
  name: 'secure-admin',
  description:
    'HTTPS admin UI (TLS as good-gateway, lab-CA leaf): HSTS 1 year, __Host- session cookie Secure/HttpOnly/SameSite=Strict, CSP and other security headers, no version in Server, auth required except the HTTPS login page; HTTP port only redirects to HTTPS',
  portOffset: 11,
  async start({host, port}) {
    const leaf = issueLeaf({purpose: 'secure-admin', commonName: 'secure-admin.lab', keyBits: 2048, days: 90})
    const https = createHttpsServer(goodGatewayTlsOptions(leaf), handleHttps)
    https.on('tlsClientError', () => {})
    let httpsPort = 0
    const startHttps = async (): Promise<StartedDevice> => {
      const started = await listenTracked(https, host, port, 'https')
      httpsPort = Number(new URL(started.targets[0]!).port)
      return started
    }
    const startRedirect = (): Promise<StartedDevice> =>
      listenTracked(
        createHttpServer((req, res) => {
          res.writeHead(301, {location: `https://${formatHostForUri(host)}:${httpsPort}${req.url ?? '/'}`, 'content-length': 0, server: 'secure-admin'})
          res.end()
        }),
        host,
        port === 0 ? 0 : port + SECOND_SERVICE_PORT_OFFSET,
        'http',
      )
    return startServices([startHttps, startRedirect])
  },
}
