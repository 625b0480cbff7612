/**
 * fragile-admin (variant, started only when named): the web admin of an embedded device whose own small HTTP
 * server decodes the request path without catching errors, so invalid percent-encoding ends in "500 Internal
 * Server Error"; other malformed requests get 400. A well-formed GET / gets its login page. For the malformed-input
 * check (input.http.malformed-request) and the input-validation requirements (EN 303 645 5.13-1, EN 18031-1 GEC-6).
 */
import {createServer, type Socket} from 'node:net'

import {listenTracked} from '../server.js'
import type {LabDeviceDefinition} from './types.js'

const MAX_HEAD = 16 * 1024
const PAGE = '<html><head><title>Admin</title></head><body><form method="post" action="/login"><input name="user"><input type="password" name="pass"></form></body></html>'

function reply(socket: Socket, status: string, body: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nServer: fragile-httpd/1.2\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}

/** What the device's parser does with one request head. */
function answer(socket: Socket, head: string): void {
  const [requestLine = '', ...headers] = head.split('\r\n')
  const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(requestLine)
  if (!m || headers.some((h) => h !== '' && !h.includes(':'))) return reply(socket, '400 Bad Request', 'bad request')
  try {
    // The bug: an exception from decoding reaches the server's catch-all, which answers 500.
    const path = decodeURIComponent(m[2]!)
    if (path === '/' || path === '/index.html') return reply(socket, '200 OK', PAGE)
    return reply(socket, '404 Not Found', 'not found')
  } catch {
    return reply(socket, '500 Internal Server Error', 'internal error')
  }
}

export const fragileAdmin: LabDeviceDefinition = {
  name: 'fragile-admin',
  description: 'Web admin over HTTP whose own server answers invalid percent-encoding with 500 Internal Server Error (an unhandled decoding error); 400 to other malformed requests',
  portOffset: 91,
  async start({host, port}) {
    const server = createServer((socket) => {
      let head = ''
      let answered = false
      socket.setEncoding('latin1')
      socket.on('data', (chunk: string) => {
        if (answered) return
        head += chunk
        const end = head.indexOf('\r\n\r\n')
        if (end < 0 && head.length <= MAX_HEAD) return
        answered = true
        if (end >= 0) answer(socket, head.slice(0, end))
        else reply(socket, '400 Bad Request', 'request too large')
      })
    })
    return listenTracked(server, host, port, 'http')
  },
}
