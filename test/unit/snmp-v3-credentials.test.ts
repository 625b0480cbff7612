import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {inspect} from 'node:util'

import {afterAll, describe, expect, it} from 'vitest'

import {ConfigError} from '../../src/profiles/errors.js'
import {loadSnmpV3Credentials, parseSnmpV3Credentials} from '../../src/probes/snmp/v3-credentials.js'

const ENV = {T_AUTH: 'auth-secret-value-1', T_PRIV: 'priv-secret-value-1', T_SHORT: 'abc'}

function configError(fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return err as ConfigError
  }
  throw new Error('expected a ConfigError')
}

describe('SNMPv3 credentials file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg17-v3cred-'))
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('loads YAML with keys from the environment', () => {
    const file = join(dir, 'ok.yaml')
    writeFileSync(file, '- id: sw1\n  user: netops\n  authProtocol: SHA256\n  authKeyEnv: T_AUTH\n  privProtocol: aes\n  privKeyEnv: T_PRIV\n- id: sw2\n  user: mon\n  authProtocol: md5\n  authKeyEnv: T_AUTH\n')
    const creds = loadSnmpV3Credentials(file, ENV)
    expect(creds.map((c) => [c.id, c.user, c.authProtocol, c.privProtocol, c.authKeyEnv, c.privKeyEnv])).toEqual([
      ['sw1', 'netops', 'sha256', 'aes', 'T_AUTH', 'T_PRIV'],
      ['sw2', 'mon', 'md5', undefined, 'T_AUTH', undefined],
    ])
    expect(creds[0]!.secrets.authKey()).toBe(ENV.T_AUTH)
    expect(creds[0]!.secrets.privKey()).toBe(ENV.T_PRIV)
    // Keys never serialize, even when the credential is copied or logged.
    const dumped = JSON.stringify(creds) + JSON.stringify({...creds[0]}) + inspect(creds, {depth: 5}) + String(creds[0]!.secrets)
    for (const v of [ENV.T_AUTH, ENV.T_PRIV]) expect(dumped).not.toContain(v)
    expect(dumped).toContain('[redacted]')
  })

  it('loads JSON', () => {
    const creds = parseSnmpV3Credentials('[{"id": "a", "user": "u", "authProtocol": "sha", "authKeyEnv": "T_AUTH"}]', 'c.json', ENV)
    expect(creds).toHaveLength(1)
  })

  it('names file, line and field of each problem', () => {
    const text = [
      '- id: sw1', //                      1
      '  user: netops', //                 2
      '  authProtocol: sha1', //           3  bad enum
      '  authKeyEnv: T_AUTH', //           4
      '- id: sw1', //                      5  duplicate id
      '  user: x', //                      6
      '  authProtocol: sha', //            7
      '  authKey: hunter2hunter2', //      8  key in the file
      '  authKeyEnv: T_AUTH', //           9
      '  privProtocol: aes', //           10  privKeyEnv missing
      '- id: sw3', //                     11
      '  user: y', //                     12
      '  authProtocol: sha', //           13
      '  authKeyEnv: T_SHORT', //         14  too short
      '  colour: blue', //                15  unknown
    ].join('\n')
    const e = configError(() => parseSnmpV3Credentials(text, 'creds.yaml', ENV))
    const d = e.details.join('\n')
    expect(d).toMatch(/^creds\.yaml:3:\d+ authProtocol: "sha1" is not one of/m)
    expect(d).toMatch(/^creds\.yaml:5:\d+ id: duplicate id "sw1"/m)
    expect(d).toMatch(/^creds\.yaml:8:\d+ authKey: keys must not be written in the file/m)
    expect(d).toMatch(/^creds\.yaml:5:\d+ privKeyEnv: missing/m)
    expect(d).toMatch(/^creds\.yaml:14:\d+ authKeyEnv: environment variable T_SHORT holds fewer than 8 characters/m)
    expect(d).toMatch(/^creds\.yaml:15:\d+ colour: unknown field/m)
    // The key written in the file is not echoed back.
    expect(e.message).not.toContain('hunter2hunter2')
    expect(e.message).not.toContain(ENV.T_SHORT + '"')
  })

  it('a missing environment variable is a ConfigError naming the variable', () => {
    const e = configError(() => parseSnmpV3Credentials('- id: a\n  user: u\n  authProtocol: sha\n  authKeyEnv: T_AUTH\n  privProtocol: des\n  privKeyEnv: SG17_NOT_SET_ANYWHERE\n', 'c.yaml', ENV))
    expect(e.message).toMatch(/c\.yaml:6:\d+ privKeyEnv: environment variable SG17_NOT_SET_ANYWHERE is not set/)
  })

  it('rejects a non-list, an empty list, bad YAML and an unreadable file', () => {
    expect(configError(() => parseSnmpV3Credentials('id: a\n', 'c.yaml', ENV)).message).toMatch(/must be a list/)
    expect(configError(() => parseSnmpV3Credentials('[]', 'c.yaml', ENV)).message).toMatch(/no credential/)
    expect(configError(() => parseSnmpV3Credentials('- id: [\n', 'c.yaml', ENV)).message).toMatch(/c\.yaml:\d+:\d+/)
    expect(configError(() => loadSnmpV3Credentials(join(dir, 'nope.yaml'), ENV)).message).toMatch(/nope\.yaml: cannot read/)
  })
})
