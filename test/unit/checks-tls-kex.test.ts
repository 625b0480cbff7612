import {describe, expect, it} from 'vitest'

import {checkById} from '../../checks/index.js'
import type {Check} from '../../src/checks/types.js'
import {emptyTls, runCheck, runSpec} from '../helpers/observations.js'

function get(id: string): Check {
  const c = checkById(id)
  if (!c) throw new Error(`no check ${id}`)
  return c
}

describe('tls.kex.weak-dh', () => {
  const c = get('tls.kex.weak-dh')
  it('passes with a 2048-bit DHE prime', () => {
    const r = runCheck(c, {keyExchange: {dheBits: 2048}})
    expect(r.outcome).toBe('pass')
    expect(r.message).toContain('2048')
  })
  it('fails at the check severity between the critical and minimum sizes', () => {
    const r = runCheck(c, {keyExchange: {dheBits: 1024}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('1024 bits')
    expect(r.severity).toBeUndefined()
  })
  it('raises to high below criticalDhBits', () => {
    const r = runCheck(c, {keyExchange: {dheBits: 512}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('512 bits')
    expect(r.condition).toBe('below-critical-dh-bits')
    expect(c.conditions?.['below-critical-dh-bits']?.defaultSeverity).toBe('high')
  })
  it('follows the profile thresholds', () => {
    expect(runCheck(c, {keyExchange: {dheBits: 2048}}, {thresholds: {minDhBits: 3072}}).outcome).toBe('fail')
    expect(runCheck(c, {keyExchange: {dheBits: 1024}}, {thresholds: {minDhBits: 1024}}).outcome).toBe('pass')
  })
  it('also judges FFDHE named groups', () => {
    const r = runCheck(c, {keyExchange: {groups: ['x25519', 'ffdhe2048', 'ffdhe3072']}}, {thresholds: {minDhBits: 3072}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('ffdhe2048 (2048 bits)')
    expect(r.message).not.toContain('ffdhe3072')
  })
  it('is not applicable when no DHE suite is accepted', () => {
    expect(runCheck(c).outcome).toBe('not_applicable')
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.kex.weak-ec-group', () => {
  const c = get('tls.kex.weak-ec-group')
  it('passes with x25519/secp256r1 and a hybrid', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('fails naming groups below minEcBits', () => {
    const r = runCheck(c, {keyExchange: {groups: ['secp192r1', 'sect163k1', 'secp256r1']}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('secp192r1 (192 bits)')
    expect(r.message).toContain('sect163k1 (163 bits)')
    expect(r.message).not.toContain('secp256r1 (')
  })
  it('fails naming groups outside a non-empty allow-list (aliases accepted)', () => {
    const r = runCheck(c, {keyExchange: {groups: ['x25519', 'secp256r1', 'secp521r1']}}, {
      thresholds: {allowedGroups: ['x25519', 'prime256v1']},
    })
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain("not in the profile's allowed groups: secp521r1")
  })
  it('does not judge FFDHE groups by EC size', () => {
    expect(runCheck(c, {keyExchange: {groups: ['ffdhe2048', 'x25519']}}).outcome).toBe('pass')
  })
  it('mentions unknown groups', () => {
    const r = runCheck(c, {keyExchange: {groups: ['x25519', 'madeUpGroup']}})
    expect(r.outcome).toBe('pass')
    expect(r.message).toContain('madeUpGroup')
  })
  it('is not applicable when no group is observed', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('not_applicable')
  })
})

describe('tls.kex.no-pq-hybrid', () => {
  const c = get('tls.kex.no-pq-hybrid')
  it('passes with X25519MLKEM768', () => {
    const r = runCheck(c)
    expect(r.outcome).toBe('pass')
    expect(r.message).toContain('X25519MLKEM768')
  })
  it('fails listing the classical groups', () => {
    const r = runCheck(c, {keyExchange: {groups: ['x25519', 'secp256r1']}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('x25519, secp256r1')
  })
  it('fails (info) when no group was observed at all', () => {
    const r = runSpec(c, emptyTls())
    expect(r.outcome).toBe('fail')
    expect(c.defaultSeverity).toBe('info')
  })
})

describe('tls.compression-enabled', () => {
  const c = get('tls.compression-enabled')
  it('passes with null compression only', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('fails naming the method', () => {
    const r = runCheck(c, {keyExchange: {compression: ['DEFLATE']}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('DEFLATE')
  })
  it('passes on empty data', () => {
    expect(runSpec(c, emptyTls()).outcome).toBe('pass')
  })
})

describe('tls.reneg.insecure', () => {
  const c = get('tls.reneg.insecure')
  it('passes when renegotiation_info is echoed', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('fails when it is not', () => {
    const r = runCheck(c, {keyExchange: {secureRenegotiation: false}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('renegotiation_info')
  })
  it('is not applicable without a TLS ≤ 1.2 protocol', () => {
    expect(runCheck(c, {protocols: ['TLSv1.3'], keyExchange: {secureRenegotiation: null}}).outcome).toBe('not_applicable')
  })
})

describe('tls.ems.missing', () => {
  const c = get('tls.ems.missing')
  it('passes when EMS is negotiated', () => {
    expect(runCheck(c).outcome).toBe('pass')
  })
  it('fails when it is not', () => {
    const r = runCheck(c, {keyExchange: {extendedMasterSecret: false}})
    expect(r.outcome).toBe('fail')
    expect(r.message).toContain('extended_master_secret')
  })
  it('is not applicable without a TLS ≤ 1.2 protocol', () => {
    expect(runCheck(c, {keyExchange: {extendedMasterSecret: null}}).outcome).toBe('not_applicable')
  })
})
