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
  serialNumber?: string
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
