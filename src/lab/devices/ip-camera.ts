/**
 * ip-camera: an IP camera whose RTSP server asks for Basic credentials on its main stream (over cleartext RTSP)
 * but describes a forgotten sub-stream (/live.sdp) to anyone. Expected to fail rtsp.auth.none,
 * rtsp.cleartext-basic and svc.exposed.insecure-protocol.
 */
import {createServer} from 'node:net'

import {rtspSession} from '../rtsp-server.js'
import {listenTracked, startServices} from '../server.js'
import type {LabDeviceDefinition} from './types.js'

export const IP_CAMERA_RTSP_SERVER = 'IPCam-RTSP/2.1'

export const ipCamera: LabDeviceDefinition = {
  name: 'ip-camera',
  description: 'IP camera: RTSP main stream behind Basic authentication over cleartext, a sub-stream (/live.sdp) described without credentials',
  portOffset: 22,
  ownAddress: true,
  async start({host, port}) {
    const rtsp = createServer((socket) =>
      rtspSession(socket, {server: IP_CAMERA_RTSP_SERVER, paths: {'/': {challenge: 'Basic realm="IPCam"'}, '/Streaming/Channels/101': {challenge: 'Basic realm="IPCam"'}, '/live.sdp': {open: true}}}),
    )
    return startServices([() => listenTracked(rtsp, host, port, 'rtsp')])
  },
}
