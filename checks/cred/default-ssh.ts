import {defaultCredentialCheck} from './shared.js'

export const check = defaultCredentialCheck('cred.default.ssh', ['ssh'], 'SSH')
