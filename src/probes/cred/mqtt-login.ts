/**
 * MQTT login attempts for the credential module, with the `mqtt` package's client (src/probes/mqtt/client.ts):
 * one CONNECT (clean session, fresh client id) per attempt, DISCONNECT at once after a CONNACK 0. Only brokers
 * that refuse an anonymous CONNECT as a matter of authentication (3.1.1 CONNACK 4 "bad user name or password" /
 * 5 "not authorised"; 5.0 reason 0x86 / 0x87) have a password to guess: a broker that lets anyone in is
 * mqtt.auth.anonymous's finding, not a login to test. The login is tried in the protocol version whose anonymous
 * CONNECT was refused that way (3.1.1 first).
 */
import {mqttConnect, VERSIONS} from '../mqtt/client.js'
import type {MqttConnectAttempt} from '../mqtt/types.js'
import {ProbeError, type ProbeContext} from '../types.js'
import type {LoginMethod, LoginOutcome} from './types.js'

/** CONNACK codes that mean "credentials wrong or missing": 3.1.1 return codes 4/5, 5.0 reason codes 0x86/0x87. */
const AUTH_REFUSED: Record<'3.1.1' | '5.0', readonly number[]> = {'3.1.1': [4, 5], '5.0': [0x86, 0x87]}
/** 5.0 reason codes that mean "stop trying": 0x8A banned, 0x97 quota exceeded. */
const LOCKED: readonly number[] = [0x8a, 0x97]

/** What one CONNACK (or its absence) says about a login. Pure (unit-tested). */
export function classifyConnack(a: Pick<MqttConnectAttempt, 'version' | 'result' | 'code' | 'reason' | 'connectError'>): Omit<LoginOutcome, 'ms'> {
  if (a.result === 'accepted') return {result: 'accepted'}
  if (a.result === 'refused' && a.code !== undefined) {
    if (AUTH_REFUSED[a.version].includes(a.code)) return {result: 'rejected'}
    if (a.version === '5.0' && LOCKED.includes(a.code)) return {result: 'locked', reason: `CONNACK reason 0x${a.code.toString(16)}`}
    return {result: 'error', reason: `CONNACK ${a.version === '5.0' ? 'reason 0x' + a.code.toString(16) : 'return code ' + a.code}`}
  }
  // No connection, or closed without a CONNACK after earlier answers: the lockout signs the engine looks for.
  const refused = a.connectError === 'refused' || a.connectError === 'reset' || /closed the connection without a CONNACK/.test(a.reason ?? '')
  return {result: 'error', reason: a.connectError ? `connect: ${a.connectError}` : (a.reason ?? 'no CONNACK').slice(0, 120), ...(refused ? {refused: true} : {})}
}

/**
 * The broker's login, or why there is none: an anonymous CONNECT in 3.1.1, then 5.0, decides. Throws a
 * ProbeError when neither version answered with a CONNACK (nothing to judge: the check is inconclusive).
 */
export async function mqttLoginMethod(ctx: ProbeContext): Promise<LoginMethod | {none: string}> {
  const seen: string[] = []
  for (const v of VERSIONS) {
    const anonymous = await mqttConnect(ctx, v)
    if (anonymous.client) {
      await anonymous.client.endAsync(true).catch(() => {})
      return {none: `the broker accepts a CONNECT without credentials (MQTT ${v.version}; see mqtt.auth.anonymous): there is no password to guess`}
    }
    const a = anonymous.attempt
    if (a.result === 'refused' && a.code !== undefined && AUTH_REFUSED[v.version].includes(a.code)) {
      return {service: ctx.service.id, mechanism: `mqtt-connect-${v.version}`, attempt: (u, p) => attempt(ctx, v, u, p)}
    }
    seen.push(`MQTT ${v.version}: ${a.result}${a.code !== undefined ? ` ${a.code}` : ''}${a.reason ? ` (${a.reason.slice(0, 80)})` : ''}`)
  }
  throw new ProbeError('no-auth-connack', `no MQTT version refused an anonymous CONNECT for want of credentials: ${seen.join('; ')}`)
}

async function attempt(ctx: ProbeContext, v: (typeof VERSIONS)[number], username: string, password: string): Promise<LoginOutcome> {
  const started = performance.now()
  const r = await mqttConnect(ctx, v, {username, password})
  if (r.client) await r.client.endAsync(true).catch(() => {})
  return {...classifyConnack(r.attempt), ms: Math.round(performance.now() - started)}
}
