#!/usr/bin/env node
/**
 * Bundles the CLI (npm run build, after tsc) into one CommonJS file, dist/cli/sg17scan.cjs: @oclif/core and every
 * command of dist/src/commands with all it imports. bin/run.js loads it through bin/bundle-loader.cjs, which hands
 * V8 the code cache the build wrote beside it (scripts/build-code-cache.mjs): the functions a scan runs are then
 * read, not compiled. Why (issue 16): Node 20 caches no compiled code for ES modules and has no compile-cache API;
 * before, a scan resolved, read and compiled every ES module file (~470, then ~40 chunks once bundled as ES modules)
 * and that was most of a single-service scan. vm.Script with cachedData is the one code cache Node 20 offers, and it
 * takes a script, hence CommonJS.
 *
 * What stays lazy: each command, and every dynamic import() of our code (probe families, --lab, the db store,
 * writers…), is an initializer inside the file, run only when reached (its code is in the file; V8 compiles a
 * function when it first runs, or takes it from the code cache). What stays in node_modules (external): the packages
 * loaded on demand (ssh2, net-snmp, node-forge, undici, mqtt, pglite, pg, ajv, yaml) and @oclif/plugin-help.
 *
 * oclif finds the commands through its manifest as before: one small stub per command, dist/cli/commands/<id>.cjs,
 * whose exports are the command's module taken from the bundle (the same loaded instance for every stub).
 *
 * With SG17SCAN_LOAD_LOG set, the bundle appends the path of every module it initializes to that file (the
 * structural start-up test, test/integration/startup-modules.test.ts, reads it).
 */
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

import {build} from 'esbuild'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(ROOT, 'dist', 'cli')
const COMMANDS = join(ROOT, 'dist', 'src', 'commands')
const BUNDLE = join(OUT, 'sg17scan.cjs')
/** Dependencies compiled into the bundle: @oclif/core, which every command loads. */
const BUNDLED = new Set(['@oclif/core'])

const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const external = [...Object.keys(pjson.dependencies).filter((d) => !BUNDLED.has(d)), 'typescript', 'tsx', 'ts-node']

/** Command ids (oclif's, `lab:start`) and their tsc output files. */
const commands = readdirSync(COMMANDS, {recursive: true})
  .filter((f) => f.endsWith('.js'))
  .map((f) => ({id: f.slice(0, -3).split(sep).join(':'), file: join(COMMANDS, f), stub: join(OUT, 'commands', f.replace(/\.js$/, '.cjs'))}))

rmSync(OUT, {recursive: true, force: true})
mkdirSync(OUT, {recursive: true})
const entry = join(OUT, '.entry.cjs')
writeFileSync(
  entry,
  [
    "exports.execute = (options) => require('@oclif/core').execute(options)",
    'exports.commands = {',
    ...commands.map((c) => `  ${JSON.stringify(c.id)}: () => require(${JSON.stringify(c.file)}),`),
    '}',
    '',
  ].join('\n'),
)

await build({
  entryPoints: [entry],
  outfile: BUNDLE,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external,
  absWorkingDir: ROOT,
  logLevel: 'warning',
  // The bundle's modules were ES modules: import.meta.url becomes the bundle's own URL (code that looks for files
  // goes through projectPath(), which walks up to package.json from there).
  define: {'import.meta.url': '__sg17ImportMetaUrl', 'process.env.OCLIF_DISABLE_ENGINE_WARNING': '"1"'},
})
rmSync(entry)

let text = readFileSync(BUNDLE, 'utf8')
/** Replaces `from` exactly `count` times: the build fails loudly if esbuild's output changed shape. */
function patch(from, to, count, why) {
  const n = text.split(from).length - 1
  if (n !== count) throw new Error(`bundle-cli: expected ${count} × ${JSON.stringify(from)} (${why}), found ${n}`)
  text = text.split(from).join(to)
}
// oclif imports ES module plugins and commands with import(); a vm.Script may not (Node 20 asks for a flag), so the
// loader passes its own import function (bin/bundle-loader.cjs).
patch('await import(', 'await __sg17Import(', 5, "oclif's dynamic imports")
// Every module initializer of the bundle logs its path when asked (esbuild names each by its path).
patch(
  'var __esm = (fn, res, err) => function __init() {\n',
  'var __esm = (fn, res, err) => function __init() {\n  if (fn && __sg17LoadLog) __sg17LoadLog(__getOwnPropNames(fn)[0]);\n',
  1,
  "esbuild's ES module initializer",
)
patch(
  'var __commonJS = (cb, mod) => function __require() {\n',
  'var __commonJS = (cb, mod) => function __require() {\n  if (!mod && __sg17LoadLog) __sg17LoadLog(__getOwnPropNames(cb)[0]);\n',
  1,
  "esbuild's CommonJS initializer",
)
// After esbuild's "use strict" (the bundle's modules were ES modules: strict code): the bundle's own URL for
// import.meta.url, and the load log.
const root = JSON.stringify(relative(OUT, ROOT))
const directive = '"use strict";\n'
if (!text.startsWith(directive)) throw new Error('bundle-cli: the bundle does not open with "use strict"')
text = [
  directive.trim(),
  "const __sg17ImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
  `const __sg17LoadLog = process.env.SG17SCAN_LOAD_LOG ? (key) => require('node:fs').appendFileSync(process.env.SG17SCAN_LOAD_LOG, require('node:url').pathToFileURL(require('node:path').join(__dirname, ${root}, key)).href + '\\n') : undefined;`,
  text.slice(directive.length),
].join('\n')
writeFileSync(BUNDLE, text)

for (const c of commands) {
  mkdirSync(dirname(c.stub), {recursive: true})
  const loader = relative(dirname(c.stub), join(ROOT, 'bin', 'bundle-loader.cjs')).split(sep).join('/')
  writeFileSync(c.stub, `'use strict'\n// The ${c.id} command, from the CLI bundle (scripts/bundle-cli.mjs).\nmodule.exports = require(${JSON.stringify(loader)}).command(${JSON.stringify(c.id)})\n`)
}
console.log(`bundled ${commands.length} commands and @oclif/core into ${relative(ROOT, BUNDLE)} (${(text.length / 1e6).toFixed(2)} MB)`)
