/** The credential units' metadata, light enough to load without the login engine (ssh2, undici; see ProbeUnitMeta). */
import type {ProbeUnitMeta} from '../types.js'
import {P_CRED_ATTEMPTS, P_CRED_BRUTEFORCE} from './types.js'

export const CRED_PROTOCOLS = ['ssh', 'telnet', 'http', 'https', 'mqtt', 'mqtts'] as const

export const credUnitMeta: ProbeUnitMeta = {id: 'cred', protocols: CRED_PROTOCOLS, emits: [P_CRED_ATTEMPTS]}
export const credBruteforceUnitMeta: ProbeUnitMeta = {id: 'cred-bruteforce', protocols: CRED_PROTOCOLS, emits: [P_CRED_BRUTEFORCE]}
