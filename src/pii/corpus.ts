/**
 * Scoring a detector on labelled corpora (test/fixtures/pii): one sample per line, '#' starts a comment line.
 * A positive sample counts as found when detectPii reports its type; a negative one is a false alarm when it
 * does. Shared by the unit tests and bench/pii-precision.mjs so both report the same figures.
 */
import {detectPii} from './detect.js'
import type {PiiType} from './types.js'

export interface CorpusScore {
  type: PiiType
  positives: number
  negatives: number
  truePositives: number
  falsePositives: number
  /** TP / (TP + FP); 0 when nothing was reported. */
  precision: number
  /** TP / positives. */
  recall: number
  /** Samples behind the misses, for test messages (corpora hold invented values only). */
  missed: string[]
  falseAlarms: string[]
}

export function parseCorpus(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
}

export function reportsType(type: PiiType, sample: string): boolean {
  return detectPii({text: sample, location: 'corpus'}).some((h) => h.type === type)
}

export function scoreCorpus(type: PiiType, positives: readonly string[], negatives: readonly string[]): CorpusScore {
  const missed = positives.filter((s) => !reportsType(type, s))
  const falseAlarms = negatives.filter((s) => reportsType(type, s))
  const truePositives = positives.length - missed.length
  const falsePositives = falseAlarms.length
  const reported = truePositives + falsePositives
  return {
    type,
    positives: positives.length,
    negatives: negatives.length,
    truePositives,
    falsePositives,
    precision: reported === 0 ? 0 : truePositives / reported,
    recall: positives.length === 0 ? 0 : truePositives / positives.length,
    missed,
    falseAlarms,
  }
}
