import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

let root: string | undefined

/** The package root (the directory holding package.json), whether running from src/ (tsx) or dist/. */
export function projectRoot(): string {
  if (root) return root
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('sg17scan: cannot locate package.json above ' + fileURLToPath(import.meta.url))
    dir = parent
  }
  root = dir
  return dir
}

export function projectPath(...parts: string[]): string {
  return join(projectRoot(), ...parts)
}
