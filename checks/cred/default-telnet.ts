import {defaultCredentialCheck} from './shared.js'

export const check = defaultCredentialCheck('cred.default.telnet', ['telnet'], 'Telnet')
