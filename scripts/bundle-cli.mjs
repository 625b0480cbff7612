#!/usr/bin/env node
/**
 * Bundles the CLI (npm run build, after tsc): every command of dist/src/commands and @oclif/core become ES modules
 * under dist/cli/ — one entry per command (dist/cli/commands/…, what oclif's manifest and pattern discovery
 * read) and one for oclif itself (dist/cli/oclif.js, what bin/run.js starts), sharing code through split chunks
 * (dist/cli/chunks/). Why (issue 16): Node 20 resolves, reads and compiles every ES module file on its own and
 * caches no compiled code; a scan loaded ~470 files (our ~200, @oclif/core's ~150 with semver, yaml's 73 — the built-in profiles are now read from JSON), and
 * that file-by-file loading was most of a single-service scan. Bundled, the same code is a few dozen files.
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

rmSync(OUT, {recursive: true, force: true})
mkdirSync(OUT, {recursive: true})
// bin/run.js needs only execute(); everything else of oclif is reached through it or through the commands' imports.
writeFileSync(oclifEntry, "export {execute} from '@oclif/core'\n")

const result = await build({
  entryPoints: [...commands, {in: oclifEntry, out: 'oclif'}],
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
  banner: {js: "import {createRequire as __sg17CreateRequire} from 'node:module'; const require = __sg17CreateRequire(import.meta.url);"},
})
rmSync(oclifEntry)

const meta = {}
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  const inputs = Object.keys(output.inputs).map((i) => relative(ROOT, join(ROOT, i)))
  meta[relative(ROOT, join(ROOT, file))] = inputs.filter((i) => i !== relative(ROOT, oclifEntry))
}
writeFileSync(join(OUT, 'meta.json'), JSON.stringify(meta, null, 1) + '\n')
console.log(`bundled ${commands.length} commands and @oclif/core into ${Object.keys(meta).length} files in dist/cli/`)
