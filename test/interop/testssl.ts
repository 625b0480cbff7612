/**
 * Runs testssl.sh (Debian package testssl.sh 3.0.8, binary `testssl`) and parses its per-protocol cipher enumeration.
 *
 * Mode: `-E` (cipher per protocol) with `--ssl-native` and a permissive OPENSSL_CONF. In its default mode
 * testssl sends hand-built ClientHellos from bash for every suite the local openssl lacks, which took 67 s on
 * the legacy s_server; `--ssl-native` makes it use `openssl s_client` only (23 s legacy, 14 s modern). That is
 * lossless against an OpenSSL 3.0 s_server: it cannot serve any suite the same OpenSSL client cannot offer
 * (verified: identical 101-suite legacy and 6-suite modern results in both modes). The permissive config is
 * needed because Debian's openssl.cnf (MinProtocol TLSv1.2, SECLEVEL 2) would otherwise hide TLS 1.0/1.1 and
 * weak suites from testssl's s_client. Consequence: testssl then reports SSLv2/SSLv3 as "Local problem"
 * (untested); OpenSSL 3.0 cannot speak them either, so the reference says nothing about those two.
 */
import {execFile} from 'node:child_process'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {TlsProtocol} from '../../src/probes/tls/types.js'
import {toolPath, TOOLS} from '../helpers/interop-tools.js'

export const TESTSSL = toolPath(TOOLS.testssl)

/** testssl's protocol tags in JSON ids (cipher-<tag>_x<hex>) → our protocol names. */
const PROTOCOL_TAGS: Record<string, TlsProtocol> = {
  ssl2: 'SSLv2',
  ssl3: 'SSLv3',
  tls1: 'TLSv1.0',
  tls1_1: 'TLSv1.1',
  tls1_2: 'TLSv1.2',
  tls1_3: 'TLSv1.3',
}

export interface TestsslEntry {
  id: string
  severity?: string
  finding?: string
}

export interface TestsslSuites {
  /** Accepted suites per protocol, IANA names, in testssl's order (by strength). Only protocols with suites. */
  suites: Partial<Record<TlsProtocol, string[]>>
  /** Protocols testssl could not test locally ("Local problem" lines in the text output). */
  untested: TlsProtocol[]
  /** Hex code per IANA name, as testssl printed it. */
  codes: Record<string, number>
}

/** Parses testssl's flat JSON (`--jsonfile`) for the cipher-per-protocol results. */
export function parseTestsslJson(entries: TestsslEntry[], textOutput = ''): TestsslSuites {
  const suites: Partial<Record<TlsProtocol, string[]>> = {}
  const codes: Record<string, number> = {}
  for (const entry of entries) {
    const match = /^cipher-(ssl2|ssl3|tls1|tls1_1|tls1_2|tls1_3)_x([0-9a-f]+)$/i.exec(entry.id)
    if (match === null) continue
    const protocol = PROTOCOL_TAGS[(match[1] ?? '').toLowerCase()]
    if (protocol === undefined) continue
    const code = Number.parseInt(match[2] ?? '', 16)
    // "TLS 1.2   xc02f   TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256   ECDH 253   AESGCM   128   ECDHE-RSA-AES128-GCM-SHA256"
    const name = /\b((?:TLS|SSL)_[A-Za-z0-9_]+)/.exec((entry.finding ?? '').replace(/^(TLS|SSL)v?\s?[\d.]+\s+/, ''))?.[1]
    if (name === undefined) throw new Error(`testssl entry ${entry.id} has no IANA name: ${entry.finding ?? ''}`)
    ;(suites[protocol] ??= []).push(name)
    codes[name] = code
  }
  const untested: TlsProtocol[] = []
  for (const line of textOutput.split('\n')) {
    const local = /^\s*(SSLv2|SSLv3|TLS 1(?:\.[123])?)\s+Local problem/.exec(line)
    if (local === null) continue
    const label = local[1] ?? ''
    const protocol: TlsProtocol | undefined =
      label === 'SSLv2' ? 'SSLv2' : label === 'SSLv3' ? 'SSLv3' : label === 'TLS 1' ? 'TLSv1.0' : (`TLSv${label.slice(4)}` as TlsProtocol)
    untested.push(protocol)
  }
  return {suites, untested, codes}
}

export interface TestsslRun extends TestsslSuites {
  seconds: number
  argv: string[]
  exitCode: number
  entries: TestsslEntry[]
  text: string
}

/** Enumerates the suites host:port accepts per protocol with testssl (see the header for the mode). */
export async function runTestssl(
  host: string,
  port: number,
  options: {timeoutMs?: number; extraArgs?: string[]} = {},
): Promise<TestsslRun> {
  const dir = await mkdtemp(join(tmpdir(), 'sg17-testssl-'))
  try {
    const conf = join(dir, 'openssl.cnf')
    await writeFile(
      conf,
      [
        'openssl_conf = default_conf',
        '[default_conf]',
        'ssl_conf = ssl_sect',
        '[ssl_sect]',
        'system_default = system_default_sect',
        '[system_default_sect]',
        'MinProtocol = TLSv1',
        'CipherString = ALL:eNULL:@SECLEVEL=0',
        '',
      ].join('\n'),
    )
    const jsonFile = join(dir, 'result.json')
    const argv = [
      '-E', '--ssl-native',
      '--ip', 'one', '--warnings', 'off', '--color', '0', '--quiet', '--mapping', 'iana',
      '--connect-timeout', '5', '--openssl-timeout', '5',
      '--jsonfile', jsonFile,
      ...(options.extraArgs ?? []),
      `${host}:${port}`,
    ]
    const started = process.hrtime.bigint()
    const {exitCode, text} = await new Promise<{exitCode: number; text: string}>((resolve, reject) => {
      execFile(
        TESTSSL,
        argv,
        {
          env: {...process.env, OPENSSL_CONF: conf, TERM: 'dumb'},
          timeout: options.timeoutMs ?? 180_000,
          maxBuffer: 16 * 1024 * 1024,
          cwd: dir,
        },
        (error, stdout, stderr) => {
          if (error !== null && (error.killed || typeof error.code !== 'number')) {
            reject(new Error(`testssl failed: ${error.message}\n${stdout}\n${stderr}`))
            return
          }
          resolve({exitCode: error === null ? 0 : (error.code as number), text: `${stdout}${stderr}`})
        },
      )
    })
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const raw = await readFile(jsonFile, 'utf8').catch(() => {
      throw new Error(`testssl wrote no JSON (exit ${exitCode}):\n${text}`)
    })
    const entries = JSON.parse(raw) as TestsslEntry[]
    if (!entries.some((entry) => entry.id === 'scanTime')) {
      throw new Error(`testssl did not finish (exit ${exitCode}):\n${text}`)
    }
    return {...parseTestsslJson(entries, text), seconds, argv, exitCode, entries, text}
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
