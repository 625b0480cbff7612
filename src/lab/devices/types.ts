/** What every lab device module provides. Adding a device (SSH, SNMP, HTTP …) = one module + one registry line. */
export interface DeviceContext {
  host: string
  /** Port to listen on; 0 = ephemeral. */
  port: number
  /** A fleet instance's serial number, where the device shows one (default: its reference serial). */
  serial?: string
}

export interface StartedDevice {
  /** Service URIs the device answers on, e.g. tls://127.0.0.1:40443. */
  targets: string[]
  /** Closes the listeners and destroys every open socket. */
  stop(): Promise<void>
}

export interface LabDeviceDefinition {
  name: string
  description: string
  /** Offset from the lab's basePort when a fixed basePort is given (stable ports). */
  portOffset: number
  /** Identity an inventory would declare (vendor default credentials are picked by it). */
  declared?: import('../../evidence/types.js').DeclaredIdentity
  /** Listen on a loopback address of its own (127.x.y.z) when the lab runs on 127.0.0.1 with ephemeral ports,
   *  so that a bare-host scan of the device sees its services and nothing else. */
  ownAddress?: boolean
  start(context: DeviceContext): Promise<StartedDevice>
}
