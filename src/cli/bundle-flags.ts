import {Flags} from '@oclif/core'

import type {LabInfo} from '../evidence/bundle.js'
import {loadSigner, type Signer} from '../evidence/sign.js'
import {readFlagFile} from './report-file.js'

/** Flags shared by `scan --bundle` and `report bundle`: who signs and which lab the evidence names. */
export const BUNDLE_SIGNING_FLAGS = {
  'sign-key': Flags.string({description: 'private key PEM (PKCS#8, unencrypted): Ed25519 or ECDSA P-256'}),
  'sign-cert': Flags.string({description: 'X.509 certificate chain PEM for --sign-key, leaf first', dependsOn: ['sign-key']}),
  'lab-name': Flags.string({description: 'testing laboratory name, recorded in manifest.json'}),
  operator: Flags.string({description: 'person who ran the tests, recorded in manifest.json'}),
  'accreditation-id': Flags.string({description: 'laboratory accreditation id (e.g. ISO/IEC 17025), recorded in manifest.json'}),
}

interface SigningFlagValues {
  'sign-key'?: string
  'sign-cert'?: string
  'lab-name'?: string
  operator?: string
  'accreditation-id'?: string
}

/** Loads the signer (a bad key fails before anything is scanned or written). */
export function signerFromFlags(flags: SigningFlagValues): Signer | undefined {
  if (!flags['sign-key']) return undefined
  return loadSigner({
    keyPem: readFlagFile('--sign-key', flags['sign-key']),
    keySource: `--sign-key ${flags['sign-key']}`,
    ...(flags['sign-cert'] ? {certPem: readFlagFile('--sign-cert', flags['sign-cert']), certSource: `--sign-cert ${flags['sign-cert']}`} : {}),
  })
}

export function labFromFlags(flags: SigningFlagValues): LabInfo {
  return {name: flags['lab-name'], operator: flags.operator, accreditationId: flags['accreditation-id']}
}
