/** The COAP unit's metadata, light enough to load without its code (see ProbeUnitMeta). */
import type {ProbeUnitMeta} from '../types.js'
import {P_COAP_DISCOVERY} from './types.js'

export const coapUnitMeta: ProbeUnitMeta = {id: 'coap.discovery', protocols: ['coap'], emits: [P_COAP_DISCOVERY]}
