/** The device's exposed attack surface (derived per device from what discovery and the probes saw). */
export const P_DEVICE_EXPOSURE = 'device.exposure'

export interface ExposedService {
  /** The service URI it was scanned as, or tcp://host:port for an open port sg17scan has no module for. */
  id: string
  /** Identified protocol (ssh, mqtt, rtsp, banner, unknown …). */
  protocol: string
  port: number
  transport: 'tcp' | 'udp'
  /** Why it is a cleartext management/data protocol (Telnet, FTP, MQTT or RTSP without TLS, SNMPv1/v2c). */
  insecure?: string
}

export interface ExposureData {
  /** A bare-host port scan ran to completion: `exposed` is every open TCP port, not just the given services. */
  discovered: boolean
  /** Declared services (inventory `services`), as given; null when nothing was declared. */
  declared: string[] | null
  exposed: ExposedService[]
  /** What could not be looked at (UDP beyond SNMP, incomplete port scans …). */
  notes: string[]
}
