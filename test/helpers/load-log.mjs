// Preload for `node --import`: appends every module the process loads — ES modules through a loader hook
// (load-log-hooks.mjs) and CommonJS files (e.g. ssh2, net-snmp, node-forge, which ESM hooks do not see when they
// require each other) through Module.prototype.load — one `file://` URL per line to the file named by
// SG17SCAN_LOAD_LOG. Used by test/integration/startup-modules.test.ts to assert what a command loads.
import {appendFileSync} from 'node:fs'
import Module, {register} from 'node:module'
import {pathToFileURL} from 'node:url'

const out = process.env.SG17SCAN_LOAD_LOG
if (out) {
  register('./load-log-hooks.mjs', import.meta.url)
  const load = Module.prototype.load
  Module.prototype.load = function (filename) {
    appendFileSync(out, `${pathToFileURL(filename).href}\n`)
    return load.call(this, filename)
  }
}
