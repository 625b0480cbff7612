#!/usr/bin/env node
// node:fs read as an object, not imported: an ES import of a builtin builds its facade, which runs every lazy getter
// (node:fs then loads its streams, ~3 ms). The CommonJS bundle's require() of a builtin is the object already.
const {existsSync, readFileSync} = process.getBuiltinModule('node:fs')
const {createRequire} = process.getBuiltinModule('node:module')

const args = process.argv.slice(2)
if (args.length === 1 && args[0] === '--version') {
  // Answered without loading oclif (most of the start-up of `--version`), in oclif's own format
  // (config.userAgent: name/version platform-arch node-version; oclif would say "wsl" for Linux under WSL).
  const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  const arch = process.arch === 'ia32' ? 'x86' : process.arch
  process.stdout.write(`${pjson.name}/${pjson.version} ${process.platform}-${arch} node-${process.version}\n`)
} else {
  // The build bundles @oclif/core with the commands into one CommonJS file (scripts/bundle-cli.mjs), loaded with
  // V8's code cache (bin/bundle-loader.cjs). Without a build (never in a package: prepare builds) the installed
  // @oclif/core runs and finds no command.
  const {execute} = existsSync(new URL('../dist/cli/sg17scan.cjs', import.meta.url))
    ? createRequire(import.meta.url)('./bundle-loader.cjs').bundle()
    : await import('@oclif/core')
  await execute({dir: import.meta.url})
}
