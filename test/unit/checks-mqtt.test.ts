import {describe, expect, it} from 'vitest'

import {check as anonymous} from '../../checks/mqtt/auth-anonymous.js'
import {check as cleartext} from '../../checks/mqtt/cleartext.js'
import {check as subscription} from '../../checks/mqtt/subscription-exposed.js'
import type {Check, CheckInput} from '../../src/checks/types.js'
import type {Observation, Service, ServiceProtocol} from '../../src/evidence/types.js'
import {topicMatches} from '../../src/lab/mqtt-broker.js'
import {maskTopic} from '../../src/probes/mqtt/mask.js'
import type {MqttConnectAttempt, MqttSessionData, MqttSubscriptionData} from '../../src/probes/mqtt/types.js'
import {DEFAULT_THRESHOLDS} from '../../src/profiles/thresholds.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const svc = (protocol: ServiceProtocol, port: number): Service => ({id: `${protocol}://192.0.2.30:${port}`, protocol, host: '192.0.2.30', port, transport: 'tcp'})
const obs = (s: Service, probe: string, data: object): Observation => ({id: `obs-${probe}`, service: s.id, probe, collectedAt: NOW.toISOString(), data: data as Record<string, unknown>, artifacts: []})
const run = (check: Check, s: Service, probe: string, data: object) =>
  check.evaluate({service: s, observations: {[probe]: obs(s, probe, data)}, thresholds: DEFAULT_THRESHOLDS, now: NOW, severity: check.defaultSeverity} as CheckInput)

const a = (version: '3.1.1' | '5.0', result: MqttConnectAttempt['result'], code?: number): MqttConnectAttempt => ({version, credentials: 'none', result, ...(code !== undefined ? {code} : {})})
const session = (tls: boolean, attempts: MqttConnectAttempt[]): MqttSessionData => ({tls, attempts})
const MQTT = svc('mqtt', 1883)
const MQTTS = svc('mqtts', 8883)

describe('mqtt.auth.anonymous', () => {
  it('fails when either version accepts a CONNECT without credentials', () => {
    expect(run(anonymous, MQTT, 'mqtt.session', session(false, [a('3.1.1', 'accepted', 0), a('5.0', 'accepted', 0)])).outcome).toBe('fail')
    expect(run(anonymous, MQTTS, 'mqtt.session', session(true, [a('3.1.1', 'refused', 5), a('5.0', 'accepted', 0)])).outcome).toBe('fail')
    // A fail found in what was seen stands even when the other version did not answer.
    expect(run(anonymous, MQTT, 'mqtt.session', session(false, [a('3.1.1', 'accepted', 0), a('5.0', 'error')])).outcome).toBe('fail')
  })
  it('passes only when every version refused; an unanswered version is inconclusive', () => {
    const pass = run(anonymous, MQTTS, 'mqtt.session', session(true, [a('3.1.1', 'refused', 5), a('5.0', 'refused', 135)]))
    expect(pass.outcome).toBe('pass')
    expect(pass.message).toMatch(/code 5.*code 135/)
    expect(run(anonymous, MQTT, 'mqtt.session', session(false, [a('3.1.1', 'refused', 5), a('5.0', 'error')])).outcome).toBe('inconclusive')
    expect(run(anonymous, MQTT, 'mqtt.session', {}).outcome).toBe('inconclusive')
  })
})

describe('mqtt.cleartext', () => {
  it('fails on a broker answering without TLS, passes over TLS', () => {
    expect(run(cleartext, MQTT, 'mqtt.session', session(false, [a('3.1.1', 'refused', 5), a('5.0', 'refused', 135)])).outcome).toBe('fail')
    expect(run(cleartext, MQTT, 'mqtt.session', session(false, [a('3.1.1', 'accepted', 0)])).message).toMatch(/without credentials/)
    expect(run(cleartext, MQTTS, 'mqtt.session', session(true, [a('3.1.1', 'refused', 5)])).outcome).toBe('pass')
    expect(run(cleartext, MQTT, 'mqtt.session', session(false, [a('3.1.1', 'error')])).outcome).toBe('inconclusive')
  })
})

describe('mqtt.subscription.exposed (intrusive)', () => {
  const base: MqttSubscriptionData = {connected: true, version: '5.0', filters: ['#', '$SYS/#'], windowMs: 3000, messageCap: 1000, messages: 0, retained: 0, topics: 0, sysTopics: 0, capped: false, pii: [], piiTopics: []}
  it('fails when an anonymous subscriber receives messages, critical with personal data', () => {
    const plain = run(subscription, MQTT, 'mqtt.subscription', {...base, messages: 3, retained: 3, topics: 3})
    expect(plain.outcome).toBe('fail')
    expect(plain.severity).toBeUndefined()
    const pii = run(subscription, MQTT, 'mqtt.subscription', {...base, messages: 4, topics: 4, pii: [{type: 'email', count: 1, topics: 1}], piiTopics: ['p***/k***/o***']})
    expect(pii).toMatchObject({outcome: 'fail', severity: 'critical'})
    expect(pii.message).toMatch(/email ×1/)
    expect(pii.message).not.toMatch(/example\.net/)
  })
  it('passes on silence, is not applicable without an anonymous session', () => {
    expect(run(subscription, MQTT, 'mqtt.subscription', base).outcome).toBe('pass')
    expect(run(subscription, MQTT, 'mqtt.subscription', {...base, connected: false, reason: 'refused'}).outcome).toBe('not_applicable')
    expect(run(subscription, MQTT, 'mqtt.subscription', {}).outcome).toBe('inconclusive')
  })
  it('is intrusive and reads only the subscription', () => {
    expect(subscription.intrusive).toBe(true)
    expect(anonymous.intrusive).toBe(false)
    expect(cleartext.intrusive).toBe(false)
  })
})

describe('MQTT helpers', () => {
  it('masks every topic level but keeps $SYS', () => {
    expect(maskTopic('home/alice/phone')).toBe('h***/a***/p***')
    expect(maskTopic('$SYS/broker/version')).toBe('$SYS/b***/v***')
    expect(maskTopic('/leading//empty')).toBe('/l***//e***')
  })
  it('lab broker matches filters as MQTT does (# never matches $ topics)', () => {
    expect(topicMatches('#', 'a/b')).toBe(true)
    expect(topicMatches('#', '$SYS/x')).toBe(false)
    expect(topicMatches('$SYS/#', '$SYS/broker/version')).toBe(true)
    expect(topicMatches('a/+/c', 'a/b/c')).toBe(true)
    expect(topicMatches('a/+', 'a/b/c')).toBe(false)
    expect(topicMatches('a/b', 'a/b')).toBe(true)
  })
})
