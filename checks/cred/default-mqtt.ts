import {defaultCredentialCheck} from './shared.js'

/** MQTT brokers that refuse anonymous clients but take a device default login (src/probes/cred/mqtt-login.ts). */
export const check = defaultCredentialCheck('cred.default.mqtt', ['mqtt', 'mqtts'], 'MQTT broker')
