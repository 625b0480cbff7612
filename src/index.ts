/** sg17scan as a library: `import {scan} from 'sg17scan'` returns the same report the CLI writes. */
export {scan, scanDevices, type DeviceSpec, type ScanOptions} from './engine/scan.js'
export {EXIT} from './engine/verdict.js'
export {resolveProfile, listBuiltInProfiles, type Profile} from './profiles/loader.js'
export {ConfigError} from './profiles/errors.js'
export {validateReport} from './evidence/validate.js'
export {ALL_CHECKS} from '../checks/index.js'
export type * from './evidence/types.js'
