/**
 * A lab NTP server. `classic`: answers mode-3 time requests and the mode-6 control queries READSTAT and READVAR
 * like a default ntpd 4.2.8 without `noquery` (READVAR discloses version, processor and system; responses are
 * fragmented at 468 data octets as ntpd does). `hardened`: answers time requests only; control queries are
 * dropped, as `restrict default noquery` does. Bounded: one reply set per datagram, nothing kept between them.
 */
import type {StartedDevice} from './devices/types.js'
import {OP_READSTAT, OP_READVAR} from '../probes/ntp/packet.js'
import {startLabUdpService} from './udp-service.js'

/** ntpd's CTL_MAX_DATA_LEN: data octets per control response datagram. */
const MAX_DATA = 468

export interface LabNtpOptions {
  mode: 'classic' | 'hardened'
  /** READVAR system variables (classic), in order. */
  variables?: Array<[string, string]>
}

function timeReply(req: Buffer): Buffer {
  const b = Buffer.alloc(48)
  const version = (req[0] >> 3) & 0x07 || 4
  b[0] = (0 << 6) | (version << 3) | 4
  b[1] = 2 // stratum
  b[2] = req[2] || 6
  b[3] = 0xe9 // precision 2^-23
  Buffer.from([192, 0, 2, 1]).copy(b, 12) // refid: the upstream server (documentation address)
  const seconds = Math.floor(Date.now() / 1000) + 2208988800
  for (const at of [16, 32, 40]) b.writeUInt32BE(seconds >>> 0, at)
  req.copy(b, 24, 40, 48) // origin = the client's transmit timestamp
  return b
}

export function controlReplies(req: Buffer, data: Buffer): Buffer[] {
  const out: Buffer[] = []
  for (let offset = 0; offset === 0 || offset < data.length; offset += MAX_DATA) {
    const chunk = data.subarray(offset, offset + MAX_DATA)
    const more = offset + MAX_DATA < data.length
    const pad = (4 - (chunk.length % 4)) % 4
    const b = Buffer.alloc(12 + chunk.length + pad)
    b[0] = req[0] & 0x38 | 6
    b[1] = 0x80 | (more ? 0x20 : 0) | (req[1] & 0x1f)
    req.copy(b, 2, 2, 4) // sequence
    b.writeUInt16BE(0x0618, 4) // system status: leap 0, source ntp (6), 1 event, code 8
    b.writeUInt16BE(0, 6)
    b.writeUInt16BE(offset, 8)
    b.writeUInt16BE(chunk.length, 10)
    chunk.copy(b, 12)
    out.push(b)
  }
  return out
}

export const CLASSIC_NTPD_VARIABLES: Array<[string, string]> = [
  ['version', '"ntpd 4.2.8p15@1.3728-o Wed Sep 23 11:46:38 UTC 2020 (1)"'],
  ['processor', '"mips"'],
  ['system', '"Linux/4.14.180"'],
  ['leap', '0'],
  ['stratum', '2'],
  ['precision', '-23'],
  ['rootdelay', '1.234'],
  ['rootdisp', '21.112'],
  ['refid', '192.0.2.1'],
  ['reftime', '0xe9b1c2d3.12345678'],
  ['clock', '0xe9b1c2f0.87654321'],
  ['peer', '41873'],
  ['tc', '10'],
  ['mintc', '3'],
  ['offset', '0.113'],
  ['frequency', '-12.484'],
  ['sys_jitter', '0.251'],
  ['clk_jitter', '0.088'],
  ['clk_wander', '0.004'],
  ['tai', '37'],
  ['leapsec', '201701010000'],
  ['expire', '202712280000'],
]

export async function startLabNtp(host: string, port: number, o: LabNtpOptions): Promise<StartedDevice> {
  const vars = Buffer.from((o.variables ?? CLASSIC_NTPD_VARIABLES).map(([k, v]) => `${k}=${v}`).join(',\r\n'), 'latin1')
  // Four peers, as a router syncing from a pool would have.
  const assoc = Buffer.alloc(16)
  ;[0xa391, 0xa392, 0xa393, 0xa394].forEach((id, i) => {
    assoc.writeUInt16BE(id, i * 4)
    assoc.writeUInt16BE(i === 0 ? 0x961a : 0x941a, i * 4 + 2)
  })
  return startLabUdpService('ntp', host, port, (msg, peer, socket) => {
    if (msg.length < 12) return
    const mode = msg[0] & 0x07
    if (mode === 3 && msg.length >= 48) return void socket.send(timeReply(msg), peer.port, peer.address)
    if (mode !== 6 || o.mode !== 'classic' || (msg[1] & 0x80) !== 0) return
    const opcode = msg[1] & 0x1f
    const data = opcode === OP_READSTAT ? assoc : opcode === OP_READVAR ? vars : undefined
    if (!data) return
    for (const reply of controlReplies(msg, data)) socket.send(reply, peer.port, peer.address)
  })
}
