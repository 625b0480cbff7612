/**
 * webcam-http: a cheap IP camera's web UI. HTTP only (no redirect to HTTPS), a login form with a password
 * input posting over HTTP, a session cookie without Secure/HttpOnly/SameSite, Server and X-Powered-By headers
 * with versions, no security headers, and an unauthenticated JSON user list full of personal data (served
 * gzip-compressed when the client accepts it). The seeded values are exported so redaction tests can grep
 * every output for them. A configuration export with the Wi-Fi key and the admin password is also served
 * without authentication on /cgi-bin/config.exp (not linked: found through the well-known paths).
 */
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import {gzipSync} from 'node:zlib'

import {listenTracked} from '../server.js'
import type {LabDeviceDefinition} from './types.js'

export const WEBCAM_SERVER = 'Boa/0.94.14rc21'
export const WEBCAM_POWERED_BY = 'PHP/5.4.45'
/** The session cookie value: evidence must carry the cookie name only. */
export const WEBCAM_SESSION_VALUE = 'c0ffee5e55104d0e8badf00d42'

/** Secrets in the configuration export the camera serves without authentication. */
export const WEBCAM_WIFI_PSK = 'Tr0ub4dor-wifi-9431'
export const WEBCAM_ADMIN_PASSWORD = 'camadmin-7731'

const CONFIG_EXPORT = `[network]\nwifi_ssid=HomeNet\nwifi_psk=${WEBCAM_WIFI_PSK}\n[users]\nadmin_user=admin\nadmin_password=${WEBCAM_ADMIN_PASSWORD}\n`

/** Personal data the camera hands out without authentication (all fictitious / reserved ranges). */
export const WEBCAM_PII = {
  firstName: 'Rosalind',
  lastName: 'Okafor',
  fullName: 'Rosalind Okafor',
  email: 'rosalind.okafor@example.org',
  phone: '+44 20 7946 0321',
  /** E.164 form, UK drama range (Ofcom 07700 900xxx). */
  mobile: '+447700900321',
  /** Luhn-valid test IMEI. */
  imei: '490154203237518',
  mac: '3c:5a:b4:12:9e:07',
  latitude: 51.50735,
  longitude: -0.12776,
} as const

/** Strings a redaction test must never find in any output. */
export const WEBCAM_SEEDED_STRINGS: readonly string[] = [
  WEBCAM_PII.fullName,
  WEBCAM_PII.email,
  WEBCAM_PII.phone,
  WEBCAM_PII.mobile,
  '7700900321',
  WEBCAM_PII.imei,
  WEBCAM_PII.mac,
  String(WEBCAM_PII.latitude),
  String(WEBCAM_PII.longitude),
  'rosalind.okafor',
  '7946 0321',
  WEBCAM_SESSION_VALUE,
  WEBCAM_WIFI_PSK,
  WEBCAM_ADMIN_PASSWORD,
]

const USERS = JSON.stringify({
  users: [
    {
      id: 1,
      role: 'owner',
      firstName: WEBCAM_PII.firstName,
      lastName: WEBCAM_PII.lastName,
      name: WEBCAM_PII.fullName,
      email: WEBCAM_PII.email,
      phone: WEBCAM_PII.phone,
      mobile: WEBCAM_PII.mobile,
    },
  ],
  device: {
    imei: WEBCAM_PII.imei,
    mac: WEBCAM_PII.mac,
    location: {lat: WEBCAM_PII.latitude, lon: WEBCAM_PII.longitude},
    gps: `${WEBCAM_PII.latitude},${WEBCAM_PII.longitude}`,
  },
})

const LOGIN_PAGE = `<!DOCTYPE html>
<html><head><title>NetCam 3000 - Login</title></head>
<body>
<h1>NetCam 3000</h1>
<form action="/login.cgi" method="post">
  <input type="text" name="user"> <input type="password" name="pass"> <input type="submit" value="Login">
</form>
<p><a href="/status.html">Camera status</a> | <a href="/api/v1/users">Users</a> | <a href="/logout.cgi">Logout</a></p>
</body></html>
`

const STATUS_PAGE = `<!DOCTYPE html>
<html><head><title>NetCam 3000 - Status</title></head>
<body><p>Recording: on. Storage: 12% used.</p><p><a href="/">Back</a></p></body></html>
`

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string): void {
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && type.includes('json')
  const payload = gzip ? gzipSync(body) : Buffer.from(body)
  res.writeHead(status, {
    server: WEBCAM_SERVER,
    'x-powered-by': WEBCAM_POWERED_BY,
    'content-type': type,
    'content-length': payload.length,
    ...(gzip ? {'content-encoding': 'gzip'} : {}),
  })
  res.end(payload)
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0]
  if (path === '/' || path === '/index.html') {
    res.setHeader('set-cookie', `sessionid=${WEBCAM_SESSION_VALUE}; Path=/`)
    send(req, res, 200, 'text/html; charset=utf-8', LOGIN_PAGE)
  } else if (path === '/status.html') send(req, res, 200, 'text/html; charset=utf-8', STATUS_PAGE)
  else if (path === '/api/v1/users') send(req, res, 200, 'application/json', USERS)
  else if (path === '/cgi-bin/config.exp') send(req, res, 200, 'text/plain', CONFIG_EXPORT)
  else send(req, res, 404, 'text/html', '<html><head><title>404 Not Found</title></head><body>Not Found</body></html>')
}

export const webcamHttp: LabDeviceDefinition = {
  name: 'webcam-http',
  description:
    'IP camera web UI on HTTP only: login form posting over HTTP, session cookie without Secure/HttpOnly/SameSite, versioned Server and X-Powered-By, no security headers, unauthenticated JSON user list with personal data and configuration export with credentials',
  portOffset: 10,
  start({host, port}) {
    return listenTracked(createServer(handle), host, port, 'http')
  },
}
