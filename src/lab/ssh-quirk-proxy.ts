/**
 * A TCP proxy that gives a well-behaved SSH server (an ssh2 lab server, or a real OpenSSH sshd in the interop
 * tests) the quirks of embedded SSH stacks, so that scanners can be compared on the same quirky target:
 *  - `preBannerLines`: text lines sent before the server's identification (RFC 4253 §4.2 allows them; some
 *    devices print a long legal notice there);
 *  - `waitForClientKexinit`: the server's bytes after its identification line are held back until the client's
 *    first binary packet (its SSH_MSG_KEXINIT) has fully arrived, as RFC 4253 §7.1 permits.
 * Bytes are otherwise passed unchanged in both directions, so the key exchange completes end to end.
 */
import net, {type Socket} from 'node:net'

import type {StartedDevice} from './devices/types.js'
import {listenTracked} from './server.js'

export interface SshQuirks {
  preBannerLines?: readonly string[]
  waitForClientKexinit?: boolean
}

/** Bytes kept while waiting at most (a client that never sends a packet cannot grow the buffer further). */
const MAX_HELD = 256 * 1024

/** Offset just past the first line starting with "SSH-" in `buf`, or -1 when it has not fully arrived. */
function afterIdentification(buf: Buffer): number {
  let at = 0
  while (at < buf.length) {
    const nl = buf.indexOf(0x0a, at)
    if (nl === -1) return -1
    if (buf.subarray(at, at + 4).toString('latin1') === 'SSH-') return nl + 1
    at = nl + 1
  }
  return -1
}

function pipeWithQuirks(client: Socket, upstream: {host: string; port: number}, quirks: SshQuirks): void {
  const server = net.connect(upstream.port, upstream.host)
  const destroyBoth = () => {
    client.destroy()
    server.destroy()
  }
  server.on('error', destroyBoth)
  client.on('error', destroyBoth)
  server.on('close', () => client.destroy())
  client.on('close', () => server.destroy())
  for (const line of quirks.preBannerLines ?? []) client.write(`${line}\r\n`)

  let gateOpen = quirks.waitForClientKexinit !== true
  let fromServer = Buffer.alloc(0)
  let serverIdentSent = false
  let fromClient = Buffer.alloc(0)
  const flushServer = () => {
    if (fromServer.length && client.writable) client.write(fromServer)
    fromServer = Buffer.alloc(0)
  }
  server.on('data', (chunk: Buffer) => {
    if (gateOpen) {
      client.write(chunk)
      return
    }
    fromServer = Buffer.concat([fromServer, chunk])
    if (fromServer.length > MAX_HELD) return destroyBoth()
    if (!serverIdentSent) {
      const end = afterIdentification(fromServer)
      if (end === -1) return
      client.write(fromServer.subarray(0, end))
      fromServer = fromServer.subarray(end)
      serverIdentSent = true
    }
  })
  client.on('data', (chunk: Buffer) => {
    server.write(chunk)
    if (gateOpen) return
    fromClient = Buffer.concat([fromClient, chunk])
    if (fromClient.length > MAX_HELD) return destroyBoth()
    const end = afterIdentification(fromClient)
    if (end === -1 || fromClient.length < end + 4) return
    const packetLength = fromClient.readUInt32BE(end)
    if (fromClient.length >= end + 4 + packetLength) {
      gateOpen = true
      fromClient = Buffer.alloc(0)
      flushServer()
    }
  })
}

/** Listens on host:port and forwards every connection to `upstream` with the given quirks. */
export async function startSshQuirkProxy(
  upstream: {host: string; port: number},
  quirks: SshQuirks,
  host: string,
  port: number,
): Promise<StartedDevice> {
  const proxy = net.createServer((client) => pipeWithQuirks(client, upstream, quirks))
  return listenTracked(proxy, host, port, 'ssh')
}
