/**
 * DNS messages for mDNS service discovery (RFC 6762, RFC 6763 §9): a legacy-unicast PTR query for
 * `_services._dns-sd._udp.local` and a bounded reader of the answers. Pure: names are read with compression
 * pointers followed at most 32 times, every offset checked; a malformed reply throws MdnsFormatError.
 */

export const SERVICES_NAME = '_services._dns-sd._udp.local'
export const TYPE_PTR = 12
export const TYPE_TXT = 16
export const TYPE_SRV = 33
export const TYPE_A = 1
export const TYPE_AAAA = 28
const CLASS_IN = 1

export class MdnsFormatError extends Error {}

function encodeName(name: string): Buffer {
  const parts = name.split('.').filter(Boolean).map((label) => {
    const b = Buffer.from(label, 'utf8')
    if (b.length > 63) throw new RangeError(`DNS label too long: ${label}`)
    return Buffer.concat([Buffer.from([b.length]), b])
  })
  return Buffer.concat([...parts, Buffer.from([0])])
}

/** One question, recursion not desired; sent from an ephemeral port (RFC 6762 §6.7 legacy unicast: the
 *  responder answers to that port with this id). */
export function ptrQuery(id: number, name = SERVICES_NAME): Buffer {
  const header = Buffer.alloc(12)
  header.writeUInt16BE(id & 0xffff, 0)
  header.writeUInt16BE(1, 4)
  const q = Buffer.alloc(4)
  q.writeUInt16BE(TYPE_PTR, 0)
  q.writeUInt16BE(CLASS_IN, 2)
  return Buffer.concat([header, encodeName(name), q])
}

export interface DnsRecord {
  name: string
  type: number
  ttl: number
  /** PTR/SRV target name; TXT strings joined by ';'; A/AAAA address. */
  value?: string
}

export interface DnsReply {
  id: number
  response: boolean
  rcode: number
  questions: string[]
  answers: DnsRecord[]
  additional: DnsRecord[]
}

function readName(buf: Buffer, start: number): {name: string; next: number} {
  const labels: string[] = []
  let at = start
  let next = -1
  for (let jumps = 0; ; ) {
    if (at >= buf.length) throw new MdnsFormatError('name runs past the message')
    const len = buf[at]
    if (len === 0) {
      if (next < 0) next = at + 1
      break
    }
    if ((len & 0xc0) === 0xc0) {
      if (at + 1 >= buf.length) throw new MdnsFormatError('truncated compression pointer')
      if (++jumps > 32) throw new MdnsFormatError('compression pointer loop')
      if (next < 0) next = at + 2
      at = ((len & 0x3f) << 8) | buf[at + 1]
      continue
    }
    if (len > 63) throw new MdnsFormatError(`bad label length ${len}`)
    if (at + 1 + len > buf.length) throw new MdnsFormatError('label runs past the message')
    labels.push(buf.subarray(at + 1, at + 1 + len).toString('utf8'))
    if (labels.length > 128) throw new MdnsFormatError('too many labels')
    at += 1 + len
  }
  return {name: labels.join('.'), next}
}

function readRecord(buf: Buffer, at: number): {record: DnsRecord; next: number} {
  const {name, next} = readName(buf, at)
  if (next + 10 > buf.length) throw new MdnsFormatError('record header runs past the message')
  const type = buf.readUInt16BE(next)
  const ttl = buf.readUInt32BE(next + 4)
  const rdlength = buf.readUInt16BE(next + 8)
  const rdata = next + 10
  if (rdata + rdlength > buf.length) throw new MdnsFormatError('record data runs past the message')
  const record: DnsRecord = {name, type, ttl}
  if (type === TYPE_PTR) record.value = readName(buf, rdata).name
  else if (type === TYPE_SRV && rdlength >= 7) record.value = `${readName(buf, rdata + 6).name}:${buf.readUInt16BE(rdata + 4)}`
  else if (type === TYPE_A && rdlength === 4) record.value = [...buf.subarray(rdata, rdata + 4)].join('.')
  else if (type === TYPE_TXT) {
    const strings: string[] = []
    for (let i = rdata; i < rdata + rdlength; ) {
      const l = buf[i]
      strings.push(buf.subarray(i + 1, Math.min(i + 1 + l, rdata + rdlength)).toString('utf8'))
      i += 1 + l
    }
    record.value = strings.join(';').slice(0, 512)
  }
  return {record, next: rdata + rdlength}
}

/** Reads a DNS message (at most 64 records per section). */
export function parseDnsReply(buf: Buffer): DnsReply {
  if (buf.length < 12) throw new MdnsFormatError('shorter than a DNS header')
  const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o))
  const reply: DnsReply = {id: buf.readUInt16BE(0), response: (buf[2] & 0x80) !== 0, rcode: buf[3] & 0x0f, questions: [], answers: [], additional: []}
  let at = 12
  for (let i = 0; i < Math.min(counts[0], 64); i++) {
    const {name, next} = readName(buf, at)
    if (next + 4 > buf.length) throw new MdnsFormatError('question runs past the message')
    reply.questions.push(name)
    at = next + 4
  }
  const sections: Array<DnsRecord[] | undefined> = [reply.answers, undefined, reply.additional]
  for (const [s, list] of sections.entries()) {
    for (let i = 0; i < counts[s + 1]; i++) {
      if (i >= 64) return reply
      const {record, next} = readRecord(buf, at)
      list?.push(record)
      at = next
    }
  }
  return reply
}

/** The service types a `_services._dns-sd._udp.local` answer lists (e.g. `_http._tcp.local`), sorted. */
export function serviceTypes(reply: DnsReply): string[] {
  const names = [...reply.answers, ...reply.additional].filter((r) => r.type === TYPE_PTR && r.name.toLowerCase() === SERVICES_NAME && r.value).map((r) => r.value!)
  return [...new Set(names)].sort()
}
