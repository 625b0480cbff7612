/**
 * A TCP proxy that makes a well-behaved TLS server (node:tls, `openssl s_server`, a fake) act like a quirky
 * embedded stack: it reads the client's first record, decides from the ClientHello what to do, then relays.
 * Used by the lab's TLS zoo, by integration tests and by interop tests (the same quirk in front of a real
 * daemon, so nmap/sslscan and sg17scan meet exactly the same behaviour).
 */
import {connect, createServer, type Server, type Socket} from 'node:net'

export interface TlsQuirks {
  /** Say nothing to a ClientHello whose handshake message is 256–511 bytes (the F5 window). */
  silentHelloWindow?: boolean
  /** Say nothing to a ClientHello whose handshake message is under 256 bytes. */
  silentSmallHellos?: boolean
  /** Reset the connection (or say nothing, see oversizeHello) when the ClientHello handshake message is longer
   *  than this (a small receive buffer). */
  maxHelloBytes?: number
  /** What a hello above maxHelloBytes gets (default reset). */
  oversizeHello?: 'reset' | 'silent'
  /** Reset the connection when the ClientHello offers more than this many cipher suites. */
  maxSuites?: number
  /** Reset the nth (1-based) ClientHello that offers this protocol version (highest offered, e.g. 0x0301). */
  resetNthHello?: {version: number; nth: number}
  /** After this many accepted connections, refuse connects (listener closed) for `forMs`. */
  refuseConnects?: {afterConnections: number; forMs: number}
  /** Hold the server's first reply this long (ms): a slow handshake (RSA signing on a small MCU). */
  replyDelayMs?: number
  /** Relay the server's reply one byte per `dripMs` (a server that drips its ServerHello). */
  dripMs?: number
  /** Send a warning alert with this description (e.g. 112 unrecognized_name) before the server's reply. */
  warningAlert?: number
}

export interface QuirkProxy {
  port: number
  /** Connections accepted so far. */
  connections: number
  /** What each connection's hello got: 'relayed', 'silent', 'reset'. */
  actions: string[]
  close(): Promise<void>
}

interface HelloFacts {
  /** Handshake message length (record body). */
  length: number
  suites: number
  /** Highest version offered (supported_versions when present, else client_version). */
  version: number
}

/** Reads what the quirks need from a ClientHello record; undefined for anything else (SSLv2, not TLS). */
export function helloFacts(record: Buffer): HelloFacts | undefined {
  if (record.length < 5 + 4 + 38 || record[0] !== 22 || record[5] !== 1) return undefined
  try {
    const body = record.subarray(9)
    let p = 2 + 32
    const clientVersion = body.readUInt16BE(0)
    p += 1 + body[p]!
    const suitesLen = body.readUInt16BE(p)
    p += 2 + suitesLen
    p += 1 + body[p]!
    let version = clientVersion
    if (p + 2 <= body.length) {
      const end = p + 2 + body.readUInt16BE(p)
      p += 2
      while (p + 4 <= end && p + 4 <= body.length) {
        const type = body.readUInt16BE(p)
        const len = body.readUInt16BE(p + 2)
        if (type === 43) {
          for (let i = 1; i + 1 < len + 1 && p + 4 + i + 1 < body.length; i += 2) version = Math.max(version, body.readUInt16BE(p + 4 + i))
        }
        p += 4 + len
      }
    }
    return {length: record.readUInt16BE(3), suites: suitesLen / 2, version}
  } catch {
    return undefined
  }
}

function alertRecord(description: number): Buffer {
  return Buffer.from([21, 3, 1, 0, 2, 1, description])
}

/** Starts the proxy on host:port (0 = ephemeral) in front of the upstream server. */
export async function startQuirkProxy(o: {
  host: string
  port: number
  /** The real server: a TCP address, or a Unix socket path (the lab's in-process servers, so an ephemeral
   *  upstream port can never take a fixed lab port). */
  upstream: {host: string; port: number} | {path: string}
  quirks: TlsQuirks
}): Promise<QuirkProxy> {
  const q = o.quirks
  const sockets = new Set<Socket>()
  const helloCounts = new Map<number, number>()
  let refusing = false
  let closed = false
  const state: QuirkProxy = {port: 0, connections: 0, actions: [], close}

  const track = (s: Socket): void => {
    sockets.add(s)
    s.on('error', () => {})
    // Never pin a socket: an idle client (a silent quirk) is dropped after a while.
    s.setTimeout(15_000, () => s.destroy())
    s.once('close', () => sockets.delete(s))
  }

  function onConnection(client: Socket): void {
    track(client)
    state.connections++
    if (q.refuseConnects && !refusing && state.connections === q.refuseConnects.afterConnections) {
      refusing = true
      server.close()
      setTimeout(() => {
        if (closed) return
        server.listen({host: o.host, port: state.port})
      }, q.refuseConnects.forMs).unref()
    }
    let buffered = Buffer.alloc(0)
    let decided = false
    client.on('data', function onData(chunk: Buffer) {
      buffered = Buffer.concat([buffered, chunk])
      if (decided) return
      const sslv2 = buffered.length >= 1 && (buffered[0]! & 0x80) !== 0
      if (!sslv2 && (buffered.length < 5 || buffered.length < 5 + buffered.readUInt16BE(3))) return
      decided = true
      client.off('data', onData)
      const facts = sslv2 ? undefined : helloFacts(buffered)
      const action = decide(facts)
      state.actions.push(action)
      if (action === 'silent') return // keep reading nothing; the client gives up
      if (action === 'reset') {
        client.resetAndDestroy()
        return
      }
      relay(client, buffered)
    })
  }

  function decide(facts: HelloFacts | undefined): 'relayed' | 'silent' | 'reset' {
    if (!facts) return 'relayed'
    if (q.maxSuites !== undefined && facts.suites > q.maxSuites) return 'reset'
    if (q.maxHelloBytes !== undefined && facts.length > q.maxHelloBytes) return q.oversizeHello ?? 'reset'
    if (q.silentHelloWindow && facts.length >= 256 && facts.length <= 511) return 'silent'
    if (q.silentSmallHellos && facts.length < 256) return 'silent'
    if (q.resetNthHello && facts.version === q.resetNthHello.version) {
      const n = (helloCounts.get(facts.version) ?? 0) + 1
      helloCounts.set(facts.version, n)
      if (n === q.resetNthHello.nth) return 'reset'
    }
    return 'relayed'
  }

  function relay(client: Socket, first: Buffer): void {
    const upstream = connect(o.upstream)
    track(upstream)
    upstream.setNoDelay(true)
    upstream.write(first)
    client.on('data', (c: Buffer) => upstream.write(c))
    client.once('close', () => upstream.destroy())
    let pending: Promise<void> = Promise.resolve()
    upstream.once('close', () => {
      // Let queued (delayed, dripped) bytes go out first.
      pending = pending.then(() => {
        client.end()
      })
    })
    let firstReply = true
    const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
    upstream.on('data', (c: Buffer) => {
      const isFirst = firstReply
      firstReply = false
      pending = pending.then(async () => {
        if (client.destroyed) return
        if (isFirst && q.warningAlert !== undefined) client.write(alertRecord(q.warningAlert))
        if (isFirst && q.replyDelayMs) await wait(q.replyDelayMs)
        if (q.dripMs) {
          for (const byte of c) {
            if (client.destroyed) return
            client.write(Buffer.from([byte]))
            await wait(q.dripMs)
          }
        } else if (!client.destroyed) client.write(c)
      })
    })
  }

  const server: Server = createServer(onConnection)
  server.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({host: o.host, port: o.port}, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('quirk proxy has no TCP address')
  state.port = address.port

  async function close(): Promise<void> {
    closed = true
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => {
      if (!server.listening) return resolve()
      server.close(() => resolve())
    })
  }
  return state
}
