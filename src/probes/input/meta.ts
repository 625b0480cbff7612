/** The malformed-input unit's metadata, light enough to load without its code (see ProbeUnitMeta). */
import type {ProbeUnitMeta} from '../types.js'
import {P_HTTP_MALFORMED_INPUT} from './types.js'

export const malformedInputUnitMeta: ProbeUnitMeta = {id: 'http.malformed-input', protocols: ['http', 'https'], emits: [P_HTTP_MALFORMED_INPUT]}
