/** The MQTT units' metadata, light enough to load without the mqtt client (see ProbeUnitMeta). */
import type {ProbeUnitMeta} from '../types.js'
import {P_MQTT_SESSION, P_MQTT_SUBSCRIPTION} from './types.js'

export const MQTT_PROTOCOLS = ['mqtt', 'mqtts'] as const

export const mqttSessionUnitMeta: ProbeUnitMeta = {id: 'mqtt.session', protocols: MQTT_PROTOCOLS, emits: [P_MQTT_SESSION]}
export const mqttSubscriptionUnitMeta: ProbeUnitMeta = {id: 'mqtt.subscription', protocols: MQTT_PROTOCOLS, emits: [P_MQTT_SUBSCRIPTION]}
