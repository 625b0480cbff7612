/** The FTP unit's metadata, light enough to load without the session code (see ProbeUnitMeta). */
import type {ProbeUnitMeta} from '../types.js'
import {P_FTP_SESSION} from './types.js'

export const ftpUnitMeta: ProbeUnitMeta = {id: 'ftp', protocols: ['ftp'], emits: [P_FTP_SESSION]}
