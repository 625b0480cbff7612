import {defaultCredentialCheck} from './shared.js'

export const check = defaultCredentialCheck('cred.default.http', ['http', 'https'], 'HTTP(S) admin interface')
