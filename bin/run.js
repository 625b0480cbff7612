#!/usr/bin/env node
// node:fs read as an object, not imported: an ES import of a builtin builds its facade, which runs every lazy getter
// (node:fs then loads its streams, ~3 ms) — see scripts/bundle-cli.mjs, which does the same for the bundled code.
const {existsSync, readFileSync} = process.getBuiltinModule('node:fs')

const args = process.argv.slice(2)
if (args.length === 1 && args[0] === '--version') {
  // Answered without loading oclif (most of the start-up of `--version`), in oclif's own format
  // (config.userAgent: name/version platform-arch node-version; oclif would say "wsl" for Linux under WSL).
  const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  const arch = process.arch === 'ia32' ? 'x86' : process.arch
  process.stdout.write(`${pjson.name}/${pjson.version} ${process.platform}-${arch} node-${process.version}\n`)
} else {
  // The build bundles @oclif/core with the commands (scripts/bundle-cli.mjs): one copy shared by both, a few files
  // to load instead of ~150. Without a build (never in a package: prepare builds) the installed package runs.
  const bundled = new URL('../dist/cli/oclif.js', import.meta.url)
  const {execute} = existsSync(bundled) ? await import(bundled.href) : await import('@oclif/core')
  await execute({dir: import.meta.url})
}
