/** The NTP unit's metadata, light enough to load without its code (see ProbeUnitMeta). */
import type {ProbeUnitMeta} from '../types.js'
import {P_NTP_CONTROL} from './types.js'

export const ntpUnitMeta: ProbeUnitMeta = {id: 'ntp.control', protocols: ['ntp'], emits: [P_NTP_CONTROL]}
