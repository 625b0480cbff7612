/** The SNMP unit's metadata, light enough to load without net-snmp (see ProbeUnitMeta). */
import type {ProbeUnitMeta} from '../types.js'
import {P_SNMP_COMMUNITIES, P_SNMP_SYSTEM, P_SNMP_V3} from './types.js'

export const SNMP_EMITS = [P_SNMP_COMMUNITIES, P_SNMP_SYSTEM, P_SNMP_V3] as const

export const snmpUnitMeta: ProbeUnitMeta = {id: 'snmp', protocols: ['snmp'], emits: SNMP_EMITS}
