/**
 * UPnP Internet Gateway Device control (IGD:1/IGD:2, UPnP Device Architecture §3): the WAN*Connection services
 * of a description, one read-only SOAP action (GetExternalIPAddress: no argument, changes nothing — never
 * AddPortMapping or any other action), and the reading of its answer. Parsing is pure and bounded.
 */

export const IGD_DEVICE = /^urn:schemas-upnp-org:device:InternetGatewayDevice:\d+$/
export const WAN_CONNECTION = /^urn:schemas-upnp-org:service:WAN(IP|PPP)Connection:\d+$/
export const READ_ONLY_ACTION = 'GetExternalIPAddress'

export interface UpnpService {
  serviceType: string
  controlURL: string
}

const unescape = (s: string) => s.trim().replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')

/** Every device type (root and embedded) of a description (first 256 KiB), in order. */
export function deviceTypes(xml: string): string[] {
  return [...xml.slice(0, 256 * 1024).matchAll(/<deviceType>([^<]{1,256})<\/deviceType>/g)].map((m) => unescape(m[1])).slice(0, 64)
}

/** Every <service> with its serviceType and controlURL (at most 64). */
export function upnpServices(xml: string): UpnpService[] {
  const out: UpnpService[] = []
  for (const m of xml.slice(0, 256 * 1024).matchAll(/<service>([\s\S]{0,4096}?)<\/service>/g)) {
    const type = /<serviceType>([^<]{1,256})<\/serviceType>/.exec(m[1])?.[1]
    const control = /<controlURL>([^<]{0,1024})<\/controlURL>/.exec(m[1])?.[1]
    if (type && control !== undefined) out.push({serviceType: unescape(type), controlURL: unescape(control)})
    if (out.length >= 64) break
  }
  return out
}

/** The SOAP envelope of a no-argument action. */
export function soapRequest(serviceType: string, action: string): {body: string; soapAction: string} {
  const body =
    '<?xml version="1.0"?>\r\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">' +
    `<s:Body><u:${action} xmlns:u="${serviceType}"></u:${action}></s:Body></s:Envelope>\r\n`
  return {body, soapAction: `"${serviceType}#${action}"`}
}

export interface SoapAnswer {
  /** The action's response element came back (`<u:ActionResponse>`). */
  responded: boolean
  /** Output argument names of the response (values are not kept: an external IP address is the subscriber's). */
  arguments: string[]
  /** UPnPError of a SOAP fault. */
  faultCode?: number
  faultDescription?: string
}

/** Reads a SOAP answer (first 64 KiB): the response's argument names, or the UPnPError of a fault. */
export function parseSoapAnswer(xml: string, action: string): SoapAnswer {
  const text = xml.slice(0, 64 * 1024)
  const resp = new RegExp(`<(?:[A-Za-z0-9_]+:)?${action}Response\\b[^>]*>([\\s\\S]*?)</(?:[A-Za-z0-9_]+:)?${action}Response>`).exec(text)
  if (resp) {
    const args = [...resp[1].matchAll(/<([A-Za-z][A-Za-z0-9_]{0,63})>/g)].map((m) => m[1])
    return {responded: true, arguments: [...new Set(args)].slice(0, 32)}
  }
  const code = /<errorCode>\s*(\d{1,4})\s*<\/errorCode>/.exec(text)?.[1]
  const desc = /<errorDescription>([^<]{0,160})<\/errorDescription>/.exec(text)?.[1]
  return {responded: false, arguments: [], ...(code ? {faultCode: Number(code)} : {}), ...(desc ? {faultDescription: unescape(desc)} : {})}
}
