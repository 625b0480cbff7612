import {createRequire} from 'node:module'

import type * as Yaml from 'yaml'
import type {Document, Node} from 'yaml'

import {ConfigError} from './errors.js'

// The YAML parser (~260 KB) is required on first use, synchronously: a scan with a built-in profile (read from its
// build-time JSON, src/profiles/precompiled.ts) and no YAML input never loads it.
const require = createRequire(import.meta.url)
let yamlModule: typeof Yaml | undefined
const yaml = (): typeof Yaml => (yamlModule ??= require('yaml') as typeof Yaml)

export interface LocatedYaml {
  value: unknown
  /** "file:line:col" of the node at a JSON pointer (falls back to the nearest existing parent). */
  locate(pointer: string): string
}

/** Parses YAML keeping node positions, so schema errors can name the file, line and field. */
export function parseLocatedYaml(text: string, file: string): LocatedYaml {
  const {isMap, isSeq, LineCounter, parseDocument} = yaml()
  const lineCounter = new LineCounter()
  const doc: Document = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: true})
  if (doc.errors.length > 0) {
    throw new ConfigError(
      `${file}: not valid YAML`,
      doc.errors.map((e) => {
        const {line, col} = lineCounter.linePos(e.pos[0])
        return `${file}:${line}:${col} ${e.message.split('\n')[0]}`
      }),
    )
  }
  const at = (offset: number | undefined): string => {
    if (offset === undefined) return `${file}:1:1`
    const {line, col} = lineCounter.linePos(offset)
    return `${file}:${line}:${col}`
  }
  return {
    value: doc.toJS(),
    locate(pointer: string): string {
      const parts = pointer
        .split('/')
        .slice(1)
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      let node: unknown = doc.contents
      let offset = (doc.contents as Node | null)?.range?.[0]
      for (const part of parts) {
        if (isMap(node)) {
          const pair = node.items.find((item) => String((item.key as {value?: unknown})?.value ?? item.key) === part)
          if (!pair) break
          offset = (pair.key as Node | null)?.range?.[0] ?? offset
          node = pair.value
        } else if (isSeq(node)) {
          const item = node.items[Number(part)] as Node | undefined
          if (!item) break
          offset = item.range?.[0] ?? offset
          node = item
        } else break
      }
      return at(offset)
    },
  }
}
