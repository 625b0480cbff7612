'use strict'
/**
 * Loads the CLI bundle (dist/cli/sg17scan.cjs, scripts/bundle-cli.mjs) once per process, through V8's code cache
 * (dist/cli/sg17scan.code-cache, scripts/build-code-cache.mjs): with it, V8 reads the compiled functions of a scan
 * instead of compiling them again (~40 ms of a single-service scan on a 2-core machine). A cache from another Node or
 * V8 version, or none at all, is rejected by V8 and the bundle is compiled as usual: slower, never wrong.
 *
 * SG17SCAN_CODE_CACHE_OUT=FILE makes the process write the cache of what it compiled to FILE when it exits (the
 * build does this once, while scanning a lab device). SG17SCAN_DEBUG_CODE_CACHE=1 prints on stderr whether V8 took
 * the cache (`code cache: accepted | rejected | none`).
 */
const {readFileSync, writeFileSync, renameSync} = require('node:fs')
const {dirname, join} = require('node:path')
const {createRequire} = require('node:module')
const vm = require('node:vm')

const BUNDLE = join(__dirname, '..', 'dist', 'cli', 'sg17scan.cjs')
const CODE_CACHE = join(__dirname, '..', 'dist', 'cli', 'sg17scan.code-cache')

let loaded

/** The bundle's first line names its build (scripts/bundle-cli.mjs writes a random id there). V8 checks a cache
 *  against the source's length only: a rebuilt bundle of the same length must not meet the previous build's cache. */
const buildId = (source) => source.slice(0, source.indexOf('\n'))

function readCodeCache(source) {
  try {
    if (readFileSync(`${CODE_CACHE}.build-id`, 'utf8') !== buildId(source)) return undefined
    return readFileSync(CODE_CACHE)
  } catch {
    return undefined // no cache (not built yet): compiled as usual
  }
}

function load() {
  const source = readFileSync(BUNDLE, 'utf8')
  const cachedData = readCodeCache(source)
  // The CommonJS wrapper plus the import function oclif's ES module loading needs (a script may not call import()).
  const wrapped = `(function (exports, require, module, __filename, __dirname, __sg17Import) {${source}\n})`
  const script = new vm.Script(wrapped, {filename: BUNDLE, cachedData})
  if (process.env.SG17SCAN_DEBUG_CODE_CACHE) process.stderr.write(`code cache: ${cachedData ? (script.cachedDataRejected ? 'rejected' : 'accepted') : 'none (not built, or not this bundle\'s)'}\n`)
  const module = {exports: {}, filename: BUNDLE}
  script.runInThisContext().call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE), (specifier) => import(specifier))
  const out = process.env.SG17SCAN_CODE_CACHE_OUT
  if (out) {
    process.once('exit', () => {
      writeFileSync(`${out}.tmp`, script.createCachedData())
      renameSync(`${out}.tmp`, out)
      writeFileSync(`${out}.build-id`, buildId(source))
    })
  }
  return module.exports
}

/** The bundle's exports: execute (oclif's) and commands (id → the command's module). */
exports.bundle = () => (loaded ??= load())

/** One command's module, for its oclif stub (dist/cli/commands/<id>.cjs). */
exports.command = (id) => {
  const get = exports.bundle().commands[id]
  if (!get) throw new Error(`sg17scan: no command ${id} in ${BUNDLE}`)
  return get()
}
