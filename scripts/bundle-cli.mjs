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
import {randomBytes} from 'node:crypto'
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

/**
 * @oclif/core requires, at load, modules that a run uses only in rare cases: help rendering (to show help after an
 * error), ejs (templates in help and some settings), tinyglobby (finding commands when there is no manifest),
 * spinners, node:readline (reading piped stdin for a flag that asks for it), node:child_process (detecting the
 * shell on Windows), node:perf_hooks (oclif's own timing, only with its performance debugging on) and minimatch
 * (plugin names that are patterns, below). Those requires become lazy references, required on first use (property
 * reads and calls are forwarded): the same modules, evaluated only if the run needs them. The build fails if a line is no longer there.
 * The packages among them (and semver, which only oclif's Node version check uses: disabled below) are not bundled
 * at all but required from where @oclif/core is installed, so the bundle is ~235 KB smaller to read and parse.
 */
const LAZY_OCLIF_REQUIRES = {
  'errors/handle.js': ['const index_1 = require("../help/index");'],
  'config/config.js': ['const ejs_1 = __importDefault(require("ejs"));'],
  'help/util.js': ['const ejs_1 = __importDefault(require("ejs"));'],
  'config/plugin.js': ['const tinyglobby_1 = require("tinyglobby");'],
  'ux/action/spinner.js': ['const cli_spinners_1 = __importDefault(require("cli-spinners"));'],
  'parser/parse.js': ['const node_readline_1 = require("node:readline");'],
  'util/os.js': ['const node_child_process_1 = require("node:child_process");'],
  'config/plugin-loader.js': ['const minimatch_1 = require("minimatch");'],
  'performance.js': ['const node_perf_hooks_1 = require("node:perf_hooks");'],
}
/**
 * oclif finds its core plugins (package.json oclif.plugins) among the dependencies by minimatch, compiling each
 * pattern for each dependency (~3 ms at start). Ours are plain names: a pattern without a glob character matches
 * exactly the dependency of that name, which is what minimatch answers for it; minimatch is used for the others.
 */
const OCLIF_PLUGIN_MATCH = '(0, minimatch_1.minimatch)(p, w)'
const PLAIN_PLUGIN_MATCH = '(/[*?[\\]{}()!+@]/.test(w.slice(w.startsWith("@") ? 1 : 0)) ? (0, minimatch_1.minimatch)(p, w) : p === w)'
const UNBUNDLED = ['tinyglobby', 'ejs', 'cli-spinners', 'semver', 'minimatch']
const LAZY_HELPER = 'const __sg17Lazy = (load) => { let m; const get = () => (m ??= load()); ' +
  'return new Proxy({}, {get: (_, k) => get()[k], has: (_, k) => k in get()}) };\n' +
  "const __sg17OclifRequire = (id) => require('node:module').createRequire(require.resolve('@oclif/core'))(id);\n"
const unbundled = (code) => UNBUNDLED.reduce((c, p) => c.replaceAll(`require("${p}")`, `__sg17OclifRequire("${p}")`).replaceAll(`require('${p}')`, `__sg17OclifRequire('${p}')`), code)
/**
 * oclif's configuration asks wsl-utils whether Linux is WSL (config.platform 'wsl'): loading it evaluates is-wsl,
 * is-inside-container, powershell-utils and node:child_process (~3 ms). is-wsl answers true only on Linux whose kernel
 * release or /proc/version names Microsoft, or that has /proc/sys/fs/binfmt_misc/WSLInterop or /run/WSL: without any
 * of those the answer is known (not WSL) and wsl-utils is not loaded; with one, wsl-utils decides as before.
 */
const OCLIF_WSL = "return (await import('wsl-utils')).isWsl ? 'wsl' : (0, node_os_1.platform)();"
const MAYBE_WSL = `const fs = require('node:fs'); const mentions = (f) => { try { return fs.readFileSync(f, 'utf8').toLowerCase().includes('microsoft') } catch { return false } };
    const maybeWsl = process.platform === 'linux' && ((0, node_os_1.release)().toLowerCase().includes('microsoft') || mentions('/proc/version') ||
      fs.existsSync('/proc/sys/fs/binfmt_misc/WSLInterop') || fs.existsSync('/run/WSL'));
    if (!maybeWsl) return (0, node_os_1.platform)();
    ${OCLIF_WSL}`

/** Source transforms of @oclif/core/lib files: lazy requires (above), the command sort and plugin match (below). */
function oclifSource(file, code) {
  let out = code
  const lines = LAZY_OCLIF_REQUIRES[file] ?? []
  for (const line of lines) {
    if (!out.includes(line)) throw new Error(`bundle-cli: @oclif/core/lib/${file} no longer has: ${line}`)
    const [, name, value] = /^const ([\w$]+) = (.*);$/.exec(line)
    out = out.replace(line, `const ${name} = __sg17Lazy(() => ${unbundled(value)});`)
  }
  if (file === 'index.js') {
    if (!out.includes("require('semver')")) throw new Error(`bundle-cli: @oclif/core/lib/index.js no longer requires semver`)
    out = unbundled(out)
  }
  if (lines.length > 0 || file === 'index.js') out = LAZY_HELPER + out
  if (file === 'util/os.js') {
    if (!out.includes(OCLIF_WSL)) throw new Error(`bundle-cli: @oclif/core/lib/${file} no longer has: ${OCLIF_WSL}`)
    out = out.replace(OCLIF_WSL, MAYBE_WSL)
  }
  if (file === 'config/plugin-loader.js') {
    if (!out.includes(OCLIF_PLUGIN_MATCH)) throw new Error(`bundle-cli: @oclif/core/lib/${file} no longer matches plugins with ${OCLIF_PLUGIN_MATCH}`)
    out = out.replace(OCLIF_PLUGIN_MATCH, PLAIN_PLUGIN_MATCH)
  }
  if (file === 'config/plugin.js') {
    if (!out.includes(OCLIF_SORT)) throw new Error(`bundle-cli: @oclif/core/lib/${file} no longer sorts commands with ${OCLIF_SORT}`)
    out = out.replace(OCLIF_SORT, `.sort((a, b) => require(${JSON.stringify(COLLATE)}).compareLikeLocale(a.id, b.id));`)
  }
  return out
}

/**
 * oclif sorts each plugin's commands with localeCompare while loading the configuration: the process's first
 * localeCompare, which sets up ICU collation (~7 ms of every command's start). src/util/collate.ts gives the same
 * order without it; the sort in @oclif/core's config/plugin.js uses it (the build fails if that line changed).
 */
const COLLATE = join(ROOT, 'dist', 'src', 'util', 'collate.js')
const OCLIF_SORT = '.sort((a, b) => a.id.localeCompare(b.id));'
const oclifCore = {
  name: 'oclif-core-sources',
  setup(b) {
    b.onLoad({filter: /[\\/]node_modules[\\/]@oclif[\\/]core[\\/]lib[\\/].*\.js$/}, (args) => {
      const file = args.path.split(/[\\/]@oclif[\\/]core[\\/]lib[\\/]/)[1].replaceAll('\\', '/')
      return {contents: oclifSource(file, readFileSync(args.path, 'utf8')), loader: 'js', resolveDir: dirname(args.path)}
    })
  },
}

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
  // oclif's cold packages are required at run time from where @oclif/core is installed (above), on purpose.
  logOverride: {'require-resolve-not-external': 'silent'},
  plugins: [oclifCore],
  // The bundle's modules were ES modules: import.meta.url becomes the bundle's own URL (code that looks for files
  // goes through projectPath(), which walks up to package.json from there). oclif's Node version check reads its
  // own package.json through __dirname, which is the bundle's here: skipped (semver is not loaded for it either).
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
  // The build's id: bin/bundle-loader.cjs uses a code cache only if it was written for this very bundle.
  `// sg17scan bundle ${randomBytes(8).toString('hex')}`,
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
