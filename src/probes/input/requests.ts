/**
 * The malformed requests: few, bounded, read-only (every one is a GET or a request no server may act on), each
 * malformed in one way an input parser must reject (RFC 9110 / RFC 9112): a device that validates input answers
 * 4xx (or 501/505, or closes); a 500-class error or a service that stops answering shows input it did not handle.
 */
export interface MalformedRequest {
  id: string
  sends: string
  bytes(host: string): string
}

const tail = (host: string) => `Host: ${host}\r\nUser-Agent: sg17scan\r\nConnection: close\r\n\r\n`

export const MALFORMED_REQUESTS: readonly MalformedRequest[] = [
  {id: 'bad-percent-encoding', sends: 'GET /%zz%E0%A4 (invalid percent-encoding in the path)', bytes: (h) => `GET /%zz%E0%A4 HTTP/1.1\r\n${tail(h)}`},
  {id: 'overlong-uri', sends: 'GET with an 8,192-byte path', bytes: (h) => `GET /${'A'.repeat(8192)} HTTP/1.1\r\n${tail(h)}`},
  {id: 'invalid-method', sends: 'a request method with a character no token allows (G@T)', bytes: (h) => `G@T / HTTP/1.1\r\n${tail(h)}`},
  {id: 'header-without-colon', sends: 'GET / with a header line that has no colon', bytes: (h) => `GET / HTTP/1.1\r\nX-Broken-Header-Line\r\n${tail(h)}`},
  {id: 'negative-content-length', sends: 'GET / with Content-Length: -1', bytes: (h) => `GET / HTTP/1.1\r\nContent-Length: -1\r\n${tail(h)}`},
  {id: 'unknown-version', sends: 'GET / HTTP/9.9', bytes: (h) => `GET / HTTP/9.9\r\n${tail(h)}`},
]

export const WELL_FORMED = (host: string) => `GET / HTTP/1.1\r\n${tail(host)}`
