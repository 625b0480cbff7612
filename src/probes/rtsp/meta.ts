/** The RTSP unit's metadata, light enough to load without its code (see ProbeUnitMeta). */
import type {ProbeUnitMeta} from '../types.js'
import {P_RTSP_SESSION} from './types.js'

export const rtspUnitMeta: ProbeUnitMeta = {id: 'rtsp.session', protocols: ['rtsp'], emits: [P_RTSP_SESSION]}
