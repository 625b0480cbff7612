import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {loadInventory} from '../../src/inventory/load.js'
import {InventoryResolver} from '../../src/inventory/to-spec.js'
import {ConfigError} from '../../src/profiles/errors.js'

const dir = mkdtempSync(join(tmpdir(), 'sg17-inv-'))
function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
function configError(fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('inventory loading', () => {
  it('reads CSV with lists, quoted fields and line numbers, and maps to scan specs', () => {
    const path = file(
      'ok.csv',
      'id,host,services,vendor,model,firmware,serial,tags,credentialsRef\r\n' +
        'cam-1,192.0.2.10,tls:443;ssh:22,Acme,"Cam, Pro",1.2,SN1,clone-tls mismatch,\r\n' +
        '\r\n' +
        'gw-2,192.0.2.11,,,,,,,env:GW_COMMUNITIES\r\n',
    )
    const entries = loadInventory(path)
    expect(entries.map((e) => [e.id, e.at])).toEqual([['cam-1', `${path}:2`], ['gw-2', `${path}:4`]])
    const resolver = new InventoryResolver({GW_COMMUNITIES: 'sekrit\nother'})
    const cam = resolver.toSpec(entries[0]!)
    expect(cam).toEqual({
      id: 'cam-1',
      targets: ['tls://192.0.2.10:443', 'ssh://192.0.2.10:22'],
      declaredServices: ['tls://192.0.2.10:443', 'ssh://192.0.2.10:22'],
      declared: {vendor: 'Acme', model: 'Cam, Pro', firmware: '1.2', serial: 'SN1'},
      tags: ['clone-tls', 'mismatch'],
    })
    const gw = resolver.toSpec(entries[1]!)
    expect(gw.targets).toEqual(['192.0.2.11'])
    expect(gw.snmpCommunities?.map((c) => c.id)).toEqual(['env:GW_COMMUNITIES#1', 'env:GW_COMMUNITIES#2'])
  })

  it('reads YAML and JSON (through the YAML locator), bare lists too, with a per-device profile override', () => {
    const yaml = file('ok.yaml', 'devices:\n  - id: a\n    host: 127.0.0.1\n    services: ["tls://127.0.0.1:8443"]\n    profile: itu-t-x1352-baseline\n')
    const [a] = loadInventory(yaml)
    expect(a!.at).toBe(`${yaml}:2`)
    const spec = new InventoryResolver().toSpec(a!)
    expect(spec.profile?.id).toBe('itu-t-x1352-baseline')
    const json = file('ok.json', '[\n {"id": "b", "host": "h.example"},\n {"id": "c", "host": "h2.example"}\n]\n')
    expect(loadInventory(json).map((e) => e.id)).toEqual(['b', 'c'])
  })

  it('discover: true also scans the bare host, the listed services stay the declaration', () => {
    for (const [name, text] of [
      ['d.yaml', 'devices:\n  - id: d\n    host: 192.0.2.12\n    services: ["mqtts:8883"]\n    discover: true\n'],
      ['d.csv', 'id,host,services,discover\nd,192.0.2.12,mqtts:8883,true\n'],
    ] as const) {
      const [d] = loadInventory(file(name, text))
      const spec = new InventoryResolver().toSpec(d!)
      expect(spec.targets, name).toEqual(['mqtts://192.0.2.12:8883', '192.0.2.12'])
      expect(spec.declaredServices, name).toEqual(['mqtts://192.0.2.12:8883'])
    }
    expect(() => loadInventory(file('bad.yaml', 'devices:\n  - id: d\n    host: h\n    discover: maybe\n'))).toThrow(/discover/)
  })

  it('names file:line:field for schema errors in YAML, JSON and CSV', () => {
    const y = configError(() => loadInventory(file('bad.yaml', 'devices:\n  - id: a\n    host: h\n    services: ["tls:99999x"]\n    colour: red\n')))
    expect(y.message).toMatch(/bad\.yaml:4:\d+ services\[0\]: must match pattern/)
    expect(y.message).toMatch(/bad\.yaml:5:5 colour: must NOT have additional properties/)
    const j = configError(() => loadInventory(file('bad.json', '{"devices": [\n  {"id": "a"}\n]}\n')))
    expect(j.message).toMatch(/bad\.json:2:3 0: must have required property 'host'/)
    const c = configError(() => loadInventory(file('bad.csv', 'id,host,tags\na,h,ok\nb,h,"bad!"\n')))
    expect(c.message).toMatch(/bad\.csv:3 tags\[0\]: must match pattern/)
  })

  it('rejects duplicate ids naming both lines', () => {
    const e = configError(() => loadInventory(file('dup.csv', 'id,host\na,h1\nb,h2\na,h3\n')))
    expect(e.message).toContain('dup.csv:4 id: \'a\' is already used at')
    expect(e.message).toContain('dup.csv:2')
  })

  it('rejects inline secrets without echoing them', () => {
    const c = configError(() => loadInventory(file('secret.csv', 'id,host,password\na,h,hunter2\n')))
    expect(c.message).toMatch(/secret\.csv:1 password: secrets are never accepted inline.*credentialsRef/)
    expect(c.message).not.toContain('hunter2')
    const y = configError(() => loadInventory(file('secret.yaml', '- id: a\n  host: h\n  community: private123\n')))
    expect(y.message).toMatch(/secret\.yaml:3:3 community: secrets are never accepted inline/)
    expect(y.message).not.toContain('private123')
  })

  it('resolves loginsRef (env or file) to user:password credentials named by reference and line, never by secret', () => {
    const secretFile = file('logins.txt', '# lab accounts\nadmin:S3cret-Lab\n')
    const path = file('logins.csv', `id,host,services,loginsRef\nr1,192.0.2.1,ssh:22,env:R1_LOGINS\nr2,192.0.2.2,ssh:22,file:${secretFile}\nr3,192.0.2.3,ssh:22,env:BROKEN\n`)
    const entries = loadInventory(path)
    const r = new InventoryResolver({R1_LOGINS: 'root:calvin\n\nops:pa:ss', BROKEN: 'root:x\nno-colon-here'})
    expect(r.toSpec(entries[0]!).loginCredentials).toEqual([
      {id: 'env:R1_LOGINS#1', username: 'root', password: 'calvin'},
      {id: 'env:R1_LOGINS#3', username: 'ops', password: 'pa:ss'},
    ])
    expect(r.toSpec(entries[1]!).loginCredentials).toEqual([{id: 'file#2', username: 'admin', password: 'S3cret-Lab'}])
    const e = configError(() => r.toSpec(entries[2]!))
    expect(e.message).toMatch(/logins\.csv:4 loginsRef: env:BROKEN:2: malformed credential line/)
    expect(e.message).not.toContain('no-colon-here')
  })

  it('reports bad service targets, unknown profiles and missing credential variables at the entry', () => {
    const entries = loadInventory(file('refs.yaml', '- {id: a, host: "bad host", services: []}\n- {id: b, host: h, profile: no-such-profile}\n- {id: c, host: h, credentialsRef: "env:SG17_NOT_SET_X"}\n'))
    const r = new InventoryResolver({})
    expect(configError(() => r.toSpec(entries[0]!)).message).toMatch(/refs\.yaml:1 host: bad target/)
    expect(configError(() => r.toSpec(entries[1]!)).message).toMatch(/refs\.yaml:2 profile: unknown profile 'no-such-profile'/)
    expect(configError(() => r.toSpec(entries[2]!)).message).toMatch(/credentialsRef: environment variable SG17_NOT_SET_X is not set/)
  })

  it('refuses unknown extensions and CSV syntax errors with the line', () => {
    expect(configError(() => loadInventory(file('inv.txt', 'x'))).message).toMatch(/unknown format '\.txt'/)
    expect(configError(() => loadInventory(file('q.csv', 'id,host\na,"h\n'))).message).toMatch(/q\.csv:2: unterminated quoted field/)
  })
})
