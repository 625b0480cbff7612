/** The HTTP unit's metadata, light enough to load without undici and the crawler (see ProbeUnitMeta). */
import type {ProbeUnitMeta} from '../types.js'
import {P_HTTP_EXCHANGES, P_HTTP_SURFACE} from './types.js'

export const httpUnitMeta: ProbeUnitMeta = {id: 'http', protocols: ['http', 'https'], emits: [P_HTTP_EXCHANGES, P_HTTP_SURFACE]}
