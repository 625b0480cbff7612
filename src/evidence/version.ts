import {readFileSync} from 'node:fs'

import {projectPath} from '../util/paths.js'

export const SCHEMA_VERSION = '1.1.0'
export const TOOL_NAME = 'sg17scan'

let cached: string | undefined
export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as {version: string}).version
  return cached
}
