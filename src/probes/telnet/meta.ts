/** The Telnet unit's metadata, light enough to load without the session code (see ProbeUnitMeta). */
import type {ProbeUnitMeta} from '../types.js'
import {P_TELNET_BANNER} from './types.js'

export const telnetUnitMeta: ProbeUnitMeta = {id: 'telnet', protocols: ['telnet'], emits: [P_TELNET_BANNER]}
