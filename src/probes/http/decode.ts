/**
 * Bounded Content-Encoding decoding (gzip, deflate, br). The decoder runs as a stream and is destroyed as
 * soon as its output passes `limit`, so a gzip bomb costs at most `limit` bytes of memory and the CPU time to
 * produce them. A body cut at the wire limit (or otherwise damaged) yields what could be decoded so far.
 */
import type {Transform} from 'node:stream'
import {constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw} from 'node:zlib'

export interface Decoded {
  body: Buffer
  /** Output reached `limit`; the rest was not decoded. */
  truncated: boolean
  /** The encoding was not understood or the stream was damaged before `limit`. */
  error?: string
}

function decoderFor(encoding: string, raw: Buffer): Transform | undefined {
  const flush = {finishFlush: constants.Z_SYNC_FLUSH}
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip(flush)
    case 'deflate':
      // RFC 9110 says zlib-wrapped; some servers send raw deflate. A zlib header has CMF 0x78 (or low 4 bits 8).
      return (raw[0] ?? 0) % 16 === 8 && (((raw[0] ?? 0) << 8) | (raw[1] ?? 0)) % 31 === 0 ? createInflate(flush) : createInflateRaw(flush)
    case 'br':
      return createBrotliDecompress({finishFlush: constants.BROTLI_OPERATION_FLUSH})
    default:
      return undefined
  }
}

/** Decodes `raw` per a Content-Encoding value (last coding applied first), keeping at most `limit` bytes. */
export async function decodeBody(raw: Buffer, contentEncoding: string, limit: number): Promise<Decoded> {
  const codings = contentEncoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
  let body = raw
  for (const coding of codings.reverse()) {
    const step = await decodeOne(body, coding, limit)
    if (step.truncated || step.error) return step
    body = step.body
  }
  if (body.length > limit) return {body: body.subarray(0, limit), truncated: true}
  return {body, truncated: false}
}

function decodeOne(raw: Buffer, coding: string, limit: number): Promise<Decoded> {
  const decoder = decoderFor(coding, raw)
  if (!decoder) return Promise.resolve({body: Buffer.alloc(0), truncated: false, error: `unsupported content-encoding ${coding}`})
  return new Promise<Decoded>((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const finish = (result: Decoded) => {
      if (done) return
      done = true
      decoder.removeAllListeners('data')
      decoder.destroy()
      resolve(result)
    }
    decoder.on('data', (chunk: Buffer) => {
      const room = limit - size
      if (chunk.length >= room) {
        chunks.push(chunk.subarray(0, room))
        size += room
        finish({body: Buffer.concat(chunks, size), truncated: true})
        return
      }
      chunks.push(chunk)
      size += chunk.length
    })
    decoder.on('end', () => finish({body: Buffer.concat(chunks, size), truncated: false}))
    decoder.on('error', (err: Error) =>
      finish({body: Buffer.concat(chunks, size), truncated: false, error: `${coding} decoding failed: ${err.message}`}),
    )
    decoder.end(raw)
  })
}
