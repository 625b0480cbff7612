#!/usr/bin/env node
/**
 * Bundles the CLI (npm run build, after tsc): every command of dist/src/commands and @oclif/core become ES modules
 * under dist/cli/ — one entry per command (dist/cli/commands/…, what oclif's manifest and pattern discovery
 * read) and one for oclif itself (dist/cli/oclif.js, what bin/run.js starts), sharing code through split chunks
 * (dist/cli/chunks/). Why (issue 16): Node 20 resolves, reads and compiles every ES module file on its own and
 * caches no compiled code; a scan loaded ~470 files (our ~200, @oclif/core's ~150 with semver, yaml's 73 — the
 * built-in profiles are now read from JSON), and that file-by-file loading was most of a single-service scan.
 * Bundled, the same code is a few files: a scan of a service URI loads 9 of dist/cli/ before its probe (oclif.js, the
 * oclif chunk, esbuild's runtime chunk, commands/scan.js, the "scan core" chunk, then the probe family's own).
 *
 * What the build does beyond bundling, each explained where it is done below: the scan command's static graph is
 * forced into one chunk ("scan core"); builtins are read as objects, not imported (no ES facade); a few of
 * @oclif/core's requires are lazy and some of its packages are left out of the chunk (required from its install on
 * first use); oclif's command sort uses src/util/collate.ts (no ICU set-up); oclif matches plain plugin names by
 * equality and asks wsl-utils only on a system that may be WSL. SG17_METAFILE=path writes esbuild's metafile.
 *
 * What stays lazy: every dynamic import() (probe families, --lab, the db store…) becomes its own chunk, loaded only
 * when reached, as before. What stays in node_modules (external): the packages a probe family or command loads
 * on demand (ssh2 with its native addon, net-snmp, node-forge, undici, mqtt, pglite with its wasm, pg, ajv, yaml) and
 * oclif's development-mode helpers (typescript, tsx, ts-node: never loaded in production). @oclif/core is bundled
 * into a chunk shared by bin/run.js and the commands, so there is one copy of it (its classes and settings).
 *
 * dist/cli/meta.json maps each output file to the modules it holds (from esbuild's metafile), for the structural
 * start-up test (test/integration/startup-modules.test.ts) to name the modules a command loaded.
 */
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {builtinModules} from 'node:module'
import {fileURLToPath} from 'node:url'

import {build} from 'esbuild'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(ROOT, 'dist', 'cli')
const COMMANDS = join(ROOT, 'dist', 'src', 'commands')
/** Dependencies compiled into the bundle: @oclif/core, which every command loads. */
const BUNDLED = new Set(['@oclif/core'])

const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const external = [...Object.keys(pjson.dependencies).filter((d) => !BUNDLED.has(d)), 'typescript', 'tsx', 'ts-node']

const commands = readdirSync(COMMANDS, {recursive: true})
  .filter((f) => f.endsWith('.js'))
  .map((f) => ({in: join(COMMANDS, f), out: join('commands', f.slice(0, -3))}))
const oclifEntry = join(OUT, '.oclif-entry.mjs')
const BANNER = "const require = globalThis.process.getBuiltinModule('node:module').createRequire(import.meta.url);"

/**
 * `import {x} from 'node:crypto'` makes Node build the builtin's ES module facade, which reads every export once
 * and so runs each lazy getter: node:crypto then compiles webcrypto, node:util parseArgs and MIME, node:fs its
 * streams… (~10 ms of builtin compilation before a scan's first connect, cpu profile). Each output's imports of
 * builtins (esbuild leaves them at the top level of the module they came from) become reads of the builtin's object
 * (process.getBuiltinModule, Node >= 20.16) placed right after the banner, where an import would be hoisted to:
 * only the getters of the names imported run.
 */
const BUILTINS = new Set(builtinModules)
function builtinsAsObjects(code) {
  if (!code.startsWith(BANNER)) throw new Error('bundle-cli: output does not start with the banner')
  const head = []
  const body = code.slice(BANNER.length).replace(/^import\s+(?:([^;"]*?)\s+from\s+)?"([^"]+)";$/gm, (statement, clause, source) => {
    if (!BUILTINS.has(source.replace(/^node:/, ''))) return statement
    const object = `globalThis.process.getBuiltinModule(${JSON.stringify(source)})`
    if (clause === undefined) {
      head.push(`${object};`)
      return ''
    }
    const parts = /^(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\}|\*\s+as\s+([\w$]+))?$/.exec(clause.trim())
    if (!parts) throw new Error(`bundle-cli: cannot rewrite ${statement}`)
    const [, whole, named, namespace] = parts
    for (const name of [whole, namespace]) if (name) head.push(`const ${name} = ${object};`)
    const fields = (named ?? '').split(',').map((x) => x.trim()).filter(Boolean).map((x) => x.split(/\s+as\s+/))
    for (const [name, local = name] of fields) if (name === 'default') head.push(`const ${local} = ${object};`)
    const own = fields.filter(([name]) => name !== 'default').map(([name, local = name]) => (local === name ? name : `${name}: ${local}`))
    if (own.length > 0) head.push(`const {${own.join(', ')}} = ${object};`)
    return ''
  })
  return `${BANNER}\n${head.join('\n')}${body}`
}

rmSync(OUT, {recursive: true, force: true})
mkdirSync(OUT, {recursive: true})
// bin/run.js needs only execute(); everything else of oclif is reached through it or through the commands' imports.
writeFileSync(oclifEntry, "export {execute} from '@oclif/core'\n")

const options = {
  entryPoints: [...commands, {in: oclifEntry, out: 'oclif'}],
  absWorkingDir: ROOT,
  outdir: OUT,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  metafile: true,
  logLevel: 'warning',
  // CommonJS packages compiled into an ES module call require() for node builtins: give every output one.
  // oclif checks the Node version against its own package.json found through __dirname, which an ES module bundle
  // does not have: the check cannot run, so skip it (and loading semver for it) instead of failing inside it.
  define: {'process.env.OCLIF_DISABLE_ENGINE_WARNING': '"1"'},
  banner: {js: BANNER},
}

/**
 * @oclif/core requires, at load, modules that a run uses only in rare cases: help rendering (to show help after an
 * error), ejs (templates in help and some settings), tinyglobby (finding commands when there is no manifest),
 * spinners, node:readline (reading piped stdin for a flag that asks for it), node:child_process (detecting the
 * shell on Windows) and minimatch (plugin names that are patterns, below). Those requires become lazy references, required on first use (property reads and calls are
 * forwarded): the same modules, evaluated only if the run needs them. The build fails if a line is no longer there.
 * The packages among them (and semver, which only oclif's Node version check uses: disabled below) are not bundled
 * at all but required from where @oclif/core is installed, so the oclif chunk is ~235 KB smaller to read and parse.
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

/**
 * One chunk for the scan command's own modules. esbuild gives each set of entry points (commands, and every
 * dynamic import(): probe units, writers…) that reach a module its own chunk; each probe family's types.js and
 * meta.js, the evidence helpers… were reached by slightly different sets, so a scan loaded ~55 chunk files, most
 * under 2 KB, and Node 20 pays ~0.25 ms per ES module file (resolve, read, compile, link) whatever its size.
 * The build's first pass (no output) reads the module graph; the second makes every entry point that reaches a
 * module of the scan command's static graph (the "scan core") import all of it, through one generated module, so
 * the whole core has one set of entry points, hence one chunk. An entry point already reaching part of the core
 * loads the rest with it (no probe or writer module of a format: those are dynamic imports, outside the core).
 */
const ours = (path) => /^dist\/(src|checks)\//.test(path)
const SCAN = 'dist/src/commands/scan.js'
const coreModule = join(OUT, '.scan-core.mjs')
const graph = (await build({...options, write: false, plugins: [oclifCore]})).metafile.inputs
const staticImports = (path) => (graph[path]?.imports ?? []).filter((i) => i.kind === 'import-statement' && !i.external && ours(i.path)).map((i) => i.path)
function closure(roots) {
  const seen = new Set()
  const stack = [...roots]
  while (stack.length > 0) {
    const path = stack.pop()
    if (seen.has(path)) continue
    seen.add(path)
    stack.push(...staticImports(path))
  }
  return seen
}
const coreRoots = staticImports(SCAN)
const core = closure(coreRoots)
const entryModules = new Set([
  ...commands.map((c) => relative(ROOT, c.in)),
  ...Object.values(graph).flatMap((i) => i.imports.filter((x) => x.kind === 'dynamic-import' && !x.external && ours(x.path)).map((x) => x.path)),
])
const joinsCore = new Set([...entryModules].filter((e) => e !== SCAN && [...closure([e])].some((m) => core.has(m))))
// In the scan command's own import order, so a module of the core is evaluated where a scan evaluated it before.
writeFileSync(coreModule, coreRoots.map((m) => `import ${JSON.stringify(join(ROOT, m))}\n`).join(''))
const scanCore = {
  name: 'scan-core',
  setup(b) {
    b.onLoad({filter: /\.js$/}, (args) => {
      const path = relative(ROOT, args.path)
      if (path !== SCAN && !joinsCore.has(path)) return undefined
      return {contents: `${readFileSync(args.path, 'utf8')}\nimport ${JSON.stringify(coreModule)}\n`, loader: 'js', resolveDir: dirname(args.path)}
    })
  },
}

const result = await build({...options, plugins: [scanCore, oclifCore]})
rmSync(coreModule)
rmSync(oclifEntry)
for (const file of Object.keys(result.metafile.outputs)) {
  if (file.endsWith('.js')) writeFileSync(join(ROOT, file), builtinsAsObjects(readFileSync(join(ROOT, file), 'utf8')))
}

const meta = {}
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  const inputs = Object.keys(output.inputs).map((i) => relative(ROOT, join(ROOT, i)))
  meta[relative(ROOT, join(ROOT, file))] = inputs.filter((i) => i !== relative(ROOT, oclifEntry) && i !== relative(ROOT, coreModule))
}
if (process.env.SG17_METAFILE) writeFileSync(process.env.SG17_METAFILE, JSON.stringify(result.metafile))
writeFileSync(join(OUT, 'meta.json'), JSON.stringify(meta, null, 1) + '\n')
console.log(`bundled ${commands.length} commands and @oclif/core into ${Object.keys(meta).length} files in dist/cli/`)
