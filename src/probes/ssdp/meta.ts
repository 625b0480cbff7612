/** The SSDP unit's metadata, light enough to load without its code (see ProbeUnitMeta). */
import type {ProbeUnitMeta} from '../types.js'
import {P_SSDP_DISCOVERY, P_UPNP_IGD} from './types.js'

export const ssdpUnitMeta: ProbeUnitMeta = {id: 'ssdp.discovery', protocols: ['ssdp'], emits: [P_SSDP_DISCOVERY, P_UPNP_IGD]}
