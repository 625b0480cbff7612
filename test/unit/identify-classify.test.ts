import {describe, expect, it} from 'vitest'

import {classifyGreeting, classifyReply, firstLine, overTls} from '../../src/probes/identify/classify.js'
import {mqttConnect} from '../../src/probes/identify/requests.js'

const b = (s: string) => Buffer.from(s, 'latin1')

describe('service identification by protocol', () => {
  it('reads greetings: SSH (after other lines), Telnet IAC, FTP vs SMTP 220, other banners', () => {
    expect(classifyGreeting(b('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'))).toBe('ssh')
    expect(classifyGreeting(b('Welcome\r\nSSH-2.0-dropbear\r\n'))).toBe('ssh')
    expect(classifyGreeting(Buffer.from([255, 253, 24, 255, 253, 31, 255, 251, 1]))).toBe('telnet')
    expect(classifyGreeting(b('\r\nlogin: ' + String.fromCharCode(255, 251, 1)))).toBe('telnet')
    expect(classifyGreeting(b('220 (vsFTPd 3.0.3)\r\n'))).toBe('ftp')
    expect(classifyGreeting(b('220-Welcome\r\n220 ProFTPD Server\r\n'))).toBe('ftp')
    expect(classifyGreeting(b('220 mail.example.net ESMTP Postfix\r\n'))).toBe('smtp')
    expect(classifyGreeting(b('+OK POP3 ready\r\n'))).toBe('banner')
    expect(classifyGreeting(Buffer.alloc(0))).toBeUndefined()
  })

  it('reads replies: HTTP, RTSP, MQTT CONNACK (3.1.1 and 5.0), TLS records', () => {
    expect(classifyReply(b('HTTP/1.1 400 Bad Request\r\n'))).toBe('http')
    expect(classifyReply(b('HTTP/1.0 200 OK\r\n'))).toBe('http')
    expect(classifyReply(b('RTSP/1.0 200 OK\r\nCSeq: 1\r\n'))).toBe('rtsp')
    expect(classifyReply(Buffer.from([0x20, 0x02, 0x00, 0x00]))).toBe('mqtt')
    expect(classifyReply(Buffer.from([0x20, 0x02, 0x00, 0x05]))).toBe('mqtt')
    expect(classifyReply(Buffer.from([0x20, 0x09, 0x00, 0x00, 0x06, 0x22, 0x00, 0x0a, 0x21, 0x00, 0x14]))).toBe('mqtt')
    expect(classifyReply(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x5a, 0x02]))).toBe('tls')
    expect(classifyReply(Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28]))).toBe('tls')
    expect(classifyReply(b('garbage'))).toBeUndefined()
    expect(classifyReply(Buffer.from([0x20]))).toBeUndefined()
  })

  it('names TLS-wrapped services by what is inside', () => {
    expect(overTls('http')).toBe('https')
    expect(overTls('mqtt')).toBe('mqtts')
    expect(overTls('rtsp')).toBe('rtsps')
    expect(overTls(undefined)).toBe('tls')
  })

  it('keeps banner excerpts printable and short', () => {
    expect(firstLine(b('\r\n220 \x01\x02hello\r\nnext'))).toBe('220 hello')
    expect(firstLine(b('x'.repeat(200))).length).toBe(81)
  })

  it('identifies MQTT with a 3.1.1 CONNECT without credentials and a clean session', () => {
    const c = mqttConnect()
    expect(c[0]).toBe(0x10)
    // variable header: protocol name "MQTT", level 4, flags 0x02 (clean session only: no user, no password, no will)
    expect(c.subarray(2, 10)).toEqual(Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02]))
  })
})
