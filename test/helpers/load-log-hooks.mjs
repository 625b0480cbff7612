// Module-loading hook registered by load-log.mjs: logs each module URL before it is loaded.
import {appendFileSync} from 'node:fs'

export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.SG17SCAN_LOAD_LOG, `${url}\n`)
  return next(url, context)
}
