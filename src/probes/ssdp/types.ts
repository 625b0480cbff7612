/** SSDP/UPnP observation: what a unicast M-SEARCH returns and the device description it points to. */
export const P_SSDP_DISCOVERY = 'ssdp.discovery'

export interface SsdpDescription {
  /** The LOCATION URL with its query masked. */
  location: string
  /** HTTP status of the description fetch; 0 when it failed. */
  status: number
  deviceType?: string
  friendlyName?: string
  manufacturer?: string
  modelName?: string
  modelNumber?: string
  /** Masked (length and last two characters): see serialSha256. */
  serialNumber?: string
  /** SHA-256 (hex) of the serial number as given. */
  serialSha256?: string
  firmware?: string
  /** serviceType URNs listed (e.g. WANIPConnection: an Internet Gateway Device's port-mapping control). */
  services: string[]
}

export interface SsdpDiscoveryData {
  /** Replies to one M-SEARCH ssdp:all (each a unicast HTTP/1.1 200 over UDP). */
  replies: number
  /** Response bytes for the request bytes sent: the amplification factor a spoofed request would get. */
  amplification: number
  server?: string
  /** ST / USN device and service types announced (USN uuids removed). */
  types: string[]
  description?: SsdpDescription
}

/** IGD control observation: whether the device is an Internet Gateway Device and what one read-only SOAP
 *  action on its WAN*Connection control URL got. */
export const P_UPNP_IGD = 'upnp.igd'

export interface UpnpIgdControl {
  serviceType: string
  /** The control URL (query masked). */
  controlUrl: string
  action: string
  /** HTTP status of the POST; 0 when it failed. */
  status: number
  /** The action's response came back (200 with <ActionResponse>). */
  responded: boolean
  /** Output argument names (values not kept). */
  arguments: string[]
  faultCode?: number
  faultDescription?: string
  /** Why the POST failed (network, timeout). */
  failure?: string
}

export interface UpnpIgdData {
  /** A device (root or embedded) of type InternetGatewayDevice, or a WANIPConnection/WANPPPConnection service. */
  igd: boolean
  deviceTypes: string[]
  /** WAN*Connection service types listed. */
  wanServices: string[]
  /** The one action sent (absent when not an IGD or no control URL on the device's host). */
  control?: UpnpIgdControl
}
