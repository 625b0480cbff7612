import {describe, expect, it} from 'vitest'

import {
  featuresOfferTls,
  MAX_LINE_BYTES,
  MAX_REPLY_LINES,
  parseFeatures,
  takeReply,
} from '../../src/probes/ftp/reply.js'
import {maskCommand} from '../../src/probes/ftp/unit.js'
import {ProbeError} from '../../src/probes/types.js'

const buf = (s: string): Buffer => Buffer.from(s, 'latin1')

function errorCode(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    return e instanceof ProbeError ? e.code : 'other'
  }
  return undefined
}

describe('takeReply (RFC 959 §4.2)', () => {
  it('parses a single-line reply and reports its length', () => {
    const r = takeReply(buf('220 (vsFTPd 3.0.3)\r\n331 next'))
    expect(r).toEqual({code: 220, lines: ['(vsFTPd 3.0.3)'], raw: ['220 (vsFTPd 3.0.3)'], length: 20})
  })

  it('parses a multi-line reply whose middle lines start with digits or other codes', () => {
    const text = '220-Welcome\r\n123 not the end\r\n220-still going\r\n 220 indented\r\n220 ready\r\n'
    const r = takeReply(buf(text))!
    expect(r.code).toBe(220)
    expect(r.lines).toEqual(['Welcome', '123 not the end', 'still going', ' 220 indented', 'ready'])
    expect(r.length).toBe(text.length)
  })

  it('accepts a bare LF and a bare final code', () => {
    expect(takeReply(buf('211-Features:\n UTF8\n211\n'))).toMatchObject({code: 211, lines: ['Features:', ' UTF8', '']})
    expect(takeReply(buf('200\r\n'))).toMatchObject({code: 200, lines: ['']})
  })

  it('waits for the rest of an incomplete reply', () => {
    expect(takeReply(buf(''))).toBeUndefined()
    expect(takeReply(buf('22'))).toBeUndefined()
    expect(takeReply(buf('220 hel'))).toBeUndefined()
    expect(takeReply(buf('220-a\r\n220-b\r\n'))).toBeUndefined()
    expect(takeReply(buf('220-a\r\n220 b'))).toBeUndefined()
  })

  it('rejects text that is no FTP reply, and binary data', () => {
    expect(errorCode(() => takeReply(buf('SSH-2.0-OpenSSH_9.2\r\n')))).toBe('not-ftp')
    expect(errorCode(() => takeReply(buf('HTTP/1.1 400 Bad Request\r\n')))).toBe('not-ftp')
    expect(errorCode(() => takeReply(buf('HTTP')))).toBe('not-ftp')
    expect(errorCode(() => takeReply(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x02, 0x01, 0x02, 0x03, 0x04, 0x05])))).toBe('not-ftp')
  })

  it('bounds line length and the number of lines of a never-ending reply', () => {
    expect(errorCode(() => takeReply(buf(`220 ${'a'.repeat(MAX_LINE_BYTES + 10)}`)))).toBe('oversized')
    const endless = `220-start\r\n${'220-more\r\n'.repeat(MAX_REPLY_LINES + 5)}`
    expect(errorCode(() => takeReply(buf(endless)))).toBe('oversized')
  })
})

describe('FEAT (RFC 2389) and AUTH TLS (RFC 4217)', () => {
  it('lists the feature lines', () => {
    const r = takeReply(buf('211-Features:\r\n EPRT\r\n AUTH TLS\r\n PBSZ\r\n\r\n UTF8\r\n211 End\r\n'))!
    expect(parseFeatures(r)).toEqual(['EPRT', 'AUTH TLS', 'PBSZ', 'UTF8'])
    expect(featuresOfferTls(parseFeatures(r))).toBe(true)
  })
  it('no features for a refused or single-line FEAT', () => {
    expect(parseFeatures(takeReply(buf('500 Unknown command.\r\n'))!)).toEqual([])
    expect(parseFeatures(takeReply(buf('211 No features\r\n'))!)).toEqual([])
  })
  it('recognises AUTH TLS spellings, not AUTH SSL alone', () => {
    expect(featuresOfferTls(['AUTH TLS;TLS-C;SSL;TLS-P'])).toBe(true)
    expect(featuresOfferTls(['AUTH SSL TLS'])).toBe(true)
    expect(featuresOfferTls(['auth tls'])).toBe(true)
    expect(featuresOfferTls(['AUTH SSL'])).toBe(false)
    expect(featuresOfferTls(['MLST type*;size*;', 'TLS'])).toBe(false)
  })
  it('masks the password in recorded commands', () => {
    expect(maskCommand('PASS sg17scan@example.invalid')).toBe('PASS ***')
    expect(maskCommand('pass x')).toBe('PASS ***')
    expect(maskCommand('USER anonymous')).toBe('USER anonymous')
    expect(maskCommand('PASSWD')).toBe('PASSWD')
  })
})
