/** SSDP reply and UPnP device-description parsing (UPnP Device Architecture 2.0 §1.3, §2.3). Pure, bounded. */
import {createHash} from 'node:crypto'

import type {SsdpDescription} from './types.js'

/** A serial number as evidence shows it: its length and last two characters (the rest masked). */
export function maskSerial(serial: string): string {
  return serial.length <= 4 ? '*'.repeat(serial.length) : `${'*'.repeat(serial.length - 2)}${serial.slice(-2)}`
}

export const M_SEARCH = (host: string, port: number): Buffer =>
  Buffer.from(`M-SEARCH * HTTP/1.1\r\nHOST: ${host.includes(':') ? `[${host}]` : host}:${port}\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n`)

/** Headers of an SSDP reply (`HTTP/1.1 200 OK` over UDP), lower-case names; undefined when not one. */
export function parseSsdpReply(buf: Buffer): Record<string, string> | undefined {
  const text = buf.subarray(0, 8192).toString('latin1')
  if (!/^HTTP\/1\.[01] 200/.test(text)) return undefined
  const headers: Record<string, string> = {}
  for (const line of text.split('\r\n').slice(1)) {
    const i = line.indexOf(':')
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
  }
  return headers
}

function tag(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]{0,256})</${name}>`).exec(xml)
  return m ? m[1].trim().replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>') : undefined
}

/** The root device's identity fields and every serviceType of a description document (first 256 KiB). */
export function parseDescription(xml: string, location: string, status: number): SsdpDescription {
  const text = xml.slice(0, 256 * 1024)
  const d: SsdpDescription = {location, status, services: [...new Set([...text.matchAll(/<serviceType>([^<]{1,256})<\/serviceType>/g)].map((m) => m[1].trim()))]}
  const fields = {deviceType: 'deviceType', friendlyName: 'friendlyName', manufacturer: 'manufacturer', modelName: 'modelName', modelNumber: 'modelNumber', serialNumber: 'serialNumber', firmware: 'firmwareVersion'} as const
  for (const [k, t] of Object.entries(fields)) {
    const v = tag(text, t)
    if (!v) continue
    if (k === 'serialNumber') {
      // Serials tie a device to its owner: masked, with a digest to compare with a declared one.
      d.serialNumber = maskSerial(v)
      d.serialSha256 = createHash('sha256').update(v).digest('hex')
    } else d[k as Exclude<keyof typeof fields, 'serialNumber'>] = v
  }
  return d
}
