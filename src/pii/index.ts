/** Personal-data detectors for device responses (issue #5). */
export {detectPii, findSpans, MAX_JSON_LOCATIONS_PER_TYPE, MAX_TEXT_CHARS} from './detect.js'
export {redactPii} from './redact.js'
export {PII_TYPES} from './types.js'
export type {PiiHit, PiiInput, PiiSpan, PiiType} from './types.js'
export {parseCorpus, scoreCorpus} from './corpus.js'
export type {CorpusScore} from './corpus.js'
