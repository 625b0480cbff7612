import type {Check} from '../../src/checks/types.js'
import {cwe, en, itu} from '../../src/checks/references.js'
import {P_UPNP_IGD, type UpnpIgdData} from '../../src/probes/ssdp/types.js'

/** UPnP errors that mean "not without authorisation" (UPnP DA 2.0 §3.2.2: 606 Action not authorized; IGD:2
 *  DeviceProtection) . */
const NOT_AUTHORIZED = new Set([606, 607, 608])

export const check: Check = {
  id: 'upnp.igd.control-exposed',
  title: 'UPnP IGD control answers without authentication',
  family: 'upnp',
  description:
    'Fails when the device is a UPnP Internet Gateway Device whose WANIPConnection/WANPPPConnection control URL ' +
    'answers a read-only SOAP action (GetExternalIPAddress) without authentication: the same unauthenticated ' +
    'control point accepts AddPortMapping, which lets any LAN host (or malware, or a page through CallStranger-' +
    'style tricks) open inbound ports through the gateway. sg17scan never adds a mapping: reachability of the ' +
    'control point is inferred from the read-only action. Passes when the action is refused (HTTP 401/403, UPnP ' +
    'error 606 Action not authorized).',
  remediation: 'Disable UPnP IGD where port forwarding is not needed; otherwise enable IGD:2 DeviceProtection (authenticated control points), restrict it to the LAN interface, and limit mappings (miniupnpd secure_mode, allow/deny rules).',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: ['ssdp'],
  reads: [P_UPNP_IGD],
  references: [itu('X.805', '§6.2'), en('5.6-1'), en('5.5-1'), cwe(306)],
  evaluate(input) {
    const d = input.observations[P_UPNP_IGD]?.data as Partial<UpnpIgdData> | undefined
    if (!d || typeof d.igd !== 'boolean') return {outcome: 'inconclusive', message: 'The IGD observation holds no description reading.'}
    if (!d.igd) return {outcome: 'not_applicable', message: `Not an Internet Gateway Device (device types: ${(d.deviceTypes ?? []).join(', ') || 'none'}).`}
    const c = d.control
    if (!c) return {outcome: 'inconclusive', message: 'An Internet Gateway Device, but no control URL on the device could be asked.'}
    const where = `${c.action} on ${c.controlUrl} (${c.serviceType})`
    if (c.status === 200 && c.responded) {
      return {outcome: 'fail', message: `${where} answered HTTP 200 without credentials${c.arguments.length ? ` (returned ${c.arguments.join(', ')})` : ''}: the IGD control point, where port mappings are requested, serves unauthenticated clients (no mapping was tried).`}
    }
    if (c.status === 401 || c.status === 403 || (c.faultCode !== undefined && NOT_AUTHORIZED.has(c.faultCode))) {
      return {outcome: 'pass', message: `${where} was refused without credentials (HTTP ${c.status}${c.faultCode !== undefined ? `, UPnP error ${c.faultCode}${c.faultDescription ? ` ${c.faultDescription}` : ''}` : ''}).`}
    }
    if (c.faultCode !== undefined) {
      return {outcome: 'inconclusive', message: `${where} answered a SOAP fault (HTTP ${c.status}, UPnP error ${c.faultCode}${c.faultDescription ? ` ${c.faultDescription}` : ''}): neither an answer nor a refusal for lack of authorisation.`}
    }
    return {outcome: 'inconclusive', message: `${where} ${c.status === 0 ? `failed (${c.failure ?? 'no answer'})` : `answered HTTP ${c.status} without an action response`}.`}
  },
}
