/**
 * quirky-ssh: three SSH services with the quirks of embedded SSH stacks that real clients (OpenSSH, ssh-audit,
 * nmap) tolerate, each in front of / inside an ssh2 server with a clean modern configuration:
 *  1. waits for the client's SSH_MSG_KEXINIT before sending its own (RFC 4253 §7.1 allows it);
 *  2. sends 300 lines before its identification, some of them 2,000 bytes long (a legal notice);
 *  3. ends its cipher name-lists with an empty name ("…,aes128-ctr,").
 * A scanner must read the same algorithms on all three as on a plain server, and record the oddities.
 */
import {SECOND_SERVICE_PORT_OFFSET, startServices} from '../server.js'
import {startSshQuirkProxy} from '../ssh-quirk-proxy.js'
import {type LabSshConfig, startLabSsh} from '../ssh-service.js'
import type {LabDeviceDefinition, StartedDevice} from './types.js'

export const QUIRKY_SSH_CONFIG: LabSshConfig = {
  ident: 'QuirkySSH',
  hostKeys: [{type: 'ed25519'}, {type: 'ecdsa', bits: 256}],
  algorithms: {
    kex: ['curve25519-sha256', 'ecdh-sha2-nistp256'],
    cipher: ['aes256-gcm@openssh.com', 'aes128-ctr'],
    hmac: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-256'],
    serverHostKey: ['ssh-ed25519', 'ecdsa-sha2-nistp256'],
  },
  authMethods: ['publickey'],
}

/** 300 lines before the identification: a banner with a few 2,000-byte lines (OpenSSH accepts up to 1,024 lines). */
export const QUIRKY_PRE_BANNER_LINES: readonly string[] = Array.from({length: 300}, (_, i) =>
  // No digits: a notice, not a version string (svc.banner.version-disclosure reads these lines too).
  i % 100 === 0 ? `NOTICE: ${'authorised use only. '.repeat(95)}` : 'NOTICE: this system is for authorised use only',
)

/** Starts an upstream ssh2 server on an ephemeral port and a quirk proxy in front of it. */
async function proxied(purpose: string, quirks: Parameters<typeof startSshQuirkProxy>[1], host: string, port: number): Promise<StartedDevice> {
  const upstream = await startLabSsh(purpose, QUIRKY_SSH_CONFIG, '127.0.0.1', 0)
  const upstreamPort = Number(new URL(upstream.targets[0] as string).port)
  try {
    const proxy = await startSshQuirkProxy({host: '127.0.0.1', port: upstreamPort}, quirks, host, port)
    return {
      targets: proxy.targets,
      stop: async () => {
        await proxy.stop()
        await upstream.stop()
      },
    }
  } catch (error) {
    await upstream.stop()
    throw error
  }
}

export const quirkySsh: LabDeviceDefinition = {
  name: 'quirky-ssh',
  description:
    'three SSH services with embedded-stack quirks OpenSSH tolerates: waits for the client KEXINIT; 300 pre-banner lines (some 2,000 bytes); an empty name in the cipher name-lists',
  portOffset: 40,
  start({host, port}) {
    const at = (n: number) => (port === 0 ? 0 : port + n * SECOND_SERVICE_PORT_OFFSET)
    return startServices([
      () => proxied('quirky-ssh', {waitForClientKexinit: true}, host, at(0)),
      () => proxied('quirky-ssh', {preBannerLines: QUIRKY_PRE_BANNER_LINES}, host, at(1)),
      () => startLabSsh('quirky-ssh', {...QUIRKY_SSH_CONFIG, emptyCipherName: true}, host, at(2)),
    ])
  },
}
