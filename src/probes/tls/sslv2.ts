/**
 * SSLv2 detection: one SSLv2 CLIENT-HELLO offering every cipher kind; an SSLv2 SERVER-HELLO lists the kinds the
 * server shares. A TLS alert or record in reply, an SSLv2 ERROR or a broken reply is a refusal.
 */
import type {ProbeContext} from '../types.js'
import {buildSslv2ClientHello} from './clienthello.js'
import {Stop, type Wire} from './exchange.js'
import {readSslv2} from './records.js'
import {cipherSuiteByCode} from './registry.js'
import {parseAlert, parseSslv2ServerHello, type Alert} from './serverhello.js'

export interface Sslv2Result {
  accepted?: {suites: string[]; certificate: Buffer; serverHello: Buffer}
  refusal?: string
  alert?: {raw: Buffer; alert: Alert}
}

export async function probeSslv2(wire: Wire, ctx: ProbeContext, kinds: readonly number[]): Promise<Sslv2Result> {
  const sock = await wire.open()
  try {
    const reading = readSslv2(sock, {timeoutMs: ctx.timeoutMs, signal: ctx.signal})
    sock.write(buildSslv2ClientHello(kinds))
    const res = await reading
    if (res.tls) {
      wire.spokeTls = true
      if (res.tls.type === 21 && res.tls.fragment.length >= 2) {
        const alert = parseAlert(res.tls.fragment)
        return {refusal: `alert ${alert.name}`, alert: {raw: res.tls.raw, alert}}
      }
      return {refusal: `TLS record type ${res.tls.type} in reply to an SSLv2 hello`}
    }
    if (!res.sslv2) return {}
    const sh = parseSslv2ServerHello(res.sslv2.body)
    wire.spokeTls = true
    if ('error' in sh) return {refusal: `SSLv2 ERROR ${sh.error}`}
    const accepted = sh.cipherKinds.filter((k) => kinds.includes(k))
    return {
      accepted: {
        suites: accepted.map((k) => cipherSuiteByCode(k)?.name ?? `0x${k.toString(16)}`),
        certificate: sh.certificate,
        serverHello: res.sslv2.raw,
      },
    }
  } catch (e) {
    const err = e as {code?: string; message: string}
    if (err.code === 'aborted') throw new Stop('aborted', 'probe aborted before completion')
    return {refusal: `${err.code ?? 'malformed'}: ${err.message}`}
  } finally {
    sock.destroy()
  }
}
