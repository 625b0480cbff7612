/** Renderings of a report diff, by format name (`report diff --format`, or the -o file's extension). */
import type {ReportDiff} from '../../evidence/diff/types.js'
import {renderDiffConsole} from './console.js'
import {renderDiffHtml} from './html.js'
import {renderDiffMarkdown} from './markdown.js'

export const DIFF_FORMATS = ['console', 'json', 'md', 'html'] as const
export type DiffFormat = (typeof DIFF_FORMATS)[number]

export function renderDiff(diff: ReportDiff, format: DiffFormat): string {
  switch (format) {
    case 'console':
      return renderDiffConsole(diff)
    case 'json':
      return `${JSON.stringify(diff, null, 2)}\n`
    case 'md':
      return renderDiffMarkdown(diff)
    case 'html':
      return renderDiffHtml(diff)
  }
}

/** The format an output file's extension names (.json, .md, .html/.htm, .txt), or undefined. */
export function diffFormatFromPath(path: string): DiffFormat | undefined {
  const lower = path.toLowerCase()
  if (lower.endsWith('.json')) return 'json'
  if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 'md'
  if (lower.endsWith('.html') || lower.endsWith('.htm')) return 'html'
  if (lower.endsWith('.txt')) return 'console'
  return undefined
}
