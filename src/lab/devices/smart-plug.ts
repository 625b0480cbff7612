/**
 * smart-plug: a Wi-Fi smart plug whose MQTT broker (cleartext, port 1883 style) accepts anyone, in MQTT 3.1.1
 * and 5.0, and hands every subscriber retained messages — among them the owner's (fictitious) name, e-mail
 * address and phone number; its CoAP endpoint (UDP 5683 on its own address, no DTLS) lists its resources to
 * anyone. Expected to fail mqtt.auth.anonymous, mqtt.cleartext, coap.unauth.discovery and, with --intrusive,
 * mqtt.subscription.exposed (critical: personal data).
 *
 * smart-plug-fw2 (a variant, started only when named): the same plug after a firmware update that closed the
 * anonymous broker — it now refuses a CONNECT without credentials (CONNACK 5 / 0x87) but every unit takes the
 * factory login admin/admin (SecLists ssh-betterdefaultpasslist line 11, also Mirai's and generic-top's): passes
 * mqtt.auth.anonymous, fails cred.default.mqtt and cred.weak.dictionary with --intrusive.
 */
import {createServer} from 'node:net'

import {startLabCoap} from '../coap-server.js'
import {brokerSession, type RetainedMessage} from '../mqtt-broker.js'
import {listenTracked, SECOND_SERVICE_PORT_OFFSET, startServices} from '../server.js'
import type {LabDeviceDefinition} from './types.js'

/** Fictitious personal data (example.net, an Ofcom drama number): what a careless plug publishes retained. */
export const SMART_PLUG_RETAINED: readonly RetainedMessage[] = [
  {topic: 'plug/kitchen/state', payload: '{"on":true,"power_w":41.5}'},
  {topic: 'plug/kitchen/owner', payload: '{"name":"Jane Doe","email":"jane.doe@example.net","phone":"+44 20 7946 0958"}'},
  {topic: 'plug/kitchen/schedule', payload: '{"off":"23:00","on":"06:30"}'},
  {topic: '$SYS/broker/version', payload: 'plugbroker 1.4.2'},
]

export const SMART_PLUG_COAP_RESOURCES = '</relay>;rt="switch";if="core.a",</power>;rt="power";obs,</schedule>;rt="config"'

/** The fw2 broker's factory login: a dataset pair the default profile reaches within its budget of 20. */
export const SMART_PLUG_FW2_LOGIN = {username: 'admin', password: 'admin'}

export const smartPlug: LabDeviceDefinition = {
  name: 'smart-plug',
  description: 'Smart plug with an anonymous cleartext MQTT broker (3.1.1 and 5.0) serving retained messages that carry the owner\'s (fictitious) personal data, and CoAP resource discovery without DTLS',
  portOffset: 20,
  ownAddress: true,
  async start({host, port}) {
    const mqtt = createServer((socket) => brokerSession(socket, {retained: SMART_PLUG_RETAINED}))
    // CoAP's registered port on the device's own address (what a bare-host scan probes); with fixed lab ports,
    // the device's second-service slot.
    const coapPort = port === 0 ? 5683 : port + SECOND_SERVICE_PORT_OFFSET
    return startServices([() => listenTracked(mqtt, host, port, 'mqtt'), () => startLabCoap(host, coapPort, SMART_PLUG_COAP_RESOURCES)])
  },
}

export const smartPlugFw2: LabDeviceDefinition = {
  name: 'smart-plug-fw2',
  description: 'The smart plug after a firmware update: its cleartext MQTT broker refuses anonymous clients but takes the factory login admin/admin on every unit; CoAP discovery unchanged',
  portOffset: 51,
  ownAddress: true,
  async start({host, port}) {
    const mqtt = createServer((socket) => brokerSession(socket, {retained: SMART_PLUG_RETAINED, credentials: SMART_PLUG_FW2_LOGIN}))
    const coapPort = port === 0 ? 5683 : port + SECOND_SERVICE_PORT_OFFSET
    return startServices([() => listenTracked(mqtt, host, port, 'mqtt'), () => startLabCoap(host, coapPort, SMART_PLUG_COAP_RESOURCES)])
  },
}
