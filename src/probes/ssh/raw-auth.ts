/**
 * The `none` authentication request (RFC 4252 §5.2) over an encrypted raw connection: SSH_MSG_SERVICE_REQUEST
 * "ssh-userauth", then one USERAUTH_REQUEST with method "none". The server's USERAUTH_FAILURE lists the methods that
 * can continue; USERAUTH_SUCCESS means no authentication at all. No password or key is ever sent.
 */
import {WireReader} from './parse.js'
import type {RawSshConnection} from './raw-connection.js'
import type {SshAuthMethodsData} from './types.js'
import {message, sshString} from './wire.js'

/** User name of the `none` request: a fixed, obviously-a-scanner name, never a guess at a real account. */
export const PROBE_USERNAME = 'sg17scan-probe'

const SSH_MSG_SERVICE_REQUEST = 5
const SSH_MSG_SERVICE_ACCEPT = 6
const SSH_MSG_EXT_INFO = 7
const SSH_MSG_USERAUTH_REQUEST = 50
const SSH_MSG_USERAUTH_FAILURE = 51
const SSH_MSG_USERAUTH_SUCCESS = 52
const SSH_MSG_USERAUTH_BANNER = 53

export async function requestNoneAuth(conn: RawSshConnection): Promise<SshAuthMethodsData> {
  conn.send(message(SSH_MSG_SERVICE_REQUEST, sshString('ssh-userauth')))
  await conn.receive(SSH_MSG_SERVICE_ACCEPT, 'waiting for SSH_MSG_SERVICE_ACCEPT', [SSH_MSG_EXT_INFO, SSH_MSG_USERAUTH_BANNER])
  conn.send(message(SSH_MSG_USERAUTH_REQUEST, sshString(PROBE_USERNAME), sshString('ssh-connection'), sshString('none')))
  const payload = await conn.receive([SSH_MSG_USERAUTH_FAILURE, SSH_MSG_USERAUTH_SUCCESS], 'waiting for the answer to the none request', [
    SSH_MSG_EXT_INFO,
    SSH_MSG_USERAUTH_BANNER,
  ])
  if (payload[0] === SSH_MSG_USERAUTH_SUCCESS) return {methods: [], noneAccepted: true, username: PROBE_USERNAME}
  const r = new WireReader(payload, 'SSH_MSG_USERAUTH_FAILURE', 'malformed-packet')
  r.byte('message type')
  return {methods: r.nameList('authentications that can continue'), noneAccepted: false, username: PROBE_USERNAME}
}
