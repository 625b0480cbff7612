/** The SSH unit's metadata, light enough to load without ssh2 (see ProbeUnitMeta). */
import type {ProbeUnitMeta} from '../types.js'
import {P_SSH_AUTH_METHODS, P_SSH_HOSTKEYS, P_SSH_KEXINIT} from './types.js'

export const SSH_EMITS = [P_SSH_KEXINIT, P_SSH_HOSTKEYS, P_SSH_AUTH_METHODS] as const

export const sshUnitMeta: ProbeUnitMeta = {id: 'ssh', protocols: ['ssh'], emits: SSH_EMITS}
