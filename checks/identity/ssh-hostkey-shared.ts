import type {BatchCheck} from '../../src/checks/types.js'
import {REF} from './shared.js'
import {sharedKeyResults} from './shared-keys.js'

export const check: BatchCheck = {
  id: 'ssh.hostkey.shared',
  title: 'SSH host key unique per device',
  family: 'identity',
  scope: 'batch',
  description:
    'Fails when several devices of a batch present the same SSH host key. A host key baked into the firmware ' +
    'image is the same on every unit: whoever extracts it can impersonate any of them to an administrator.',
  remediation: 'Generate SSH host keys on each device at first boot (as OpenSSH does when none exist), never ship them in the image.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: [],
  reads: ['device.identity'],
  sources: ['ssh.hostkeys'],
  references: [REF.X1352_CRYPTO, REF.EN_5_4_4, REF.EN_5_4_3, REF.cwe(321)],
  evaluate({digests}) {
    return sharedKeyResults(digests, (d) => d.sshKeys, {key: 'SSH host key', label: (k) => k})
  },
}
