/** Turning bytes a cleartext service sent into printable evidence text. Pure functions. */

const UTF8 = new TextDecoder('utf-8', {fatal: true})

/** UTF-8 when the bytes are valid UTF-8, otherwise Latin-1 (old devices send either). */
export function decodeText(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes)
  } catch {
    return bytes.toString('latin1')
  }
}

/**
 * Printable text: line ends normalised to "\n" (CR LF, CR NUL and a bare CR), ANSI/VT100 escape sequences and
 * other control characters removed (tab kept), trailing spaces of each line dropped, capped at `max` chars.
 */
export function printable(raw: string, max = 4096): string {
  const text = raw
    .replace(/\r\n|\r\0|\r/g, '\n')
    // CSI sequences (ESC [ … final byte), OSC (ESC ] … BEL / ST), then any other two-byte ESC sequence.
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g, '')
    .replace(/\x1b[@-_]?/g, '')
    .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
  return text.length > max ? `${text.slice(0, max)}…` : text
}

/** Statistics used to tell protocol text from binary garbage. */
export function controlStats(bytes: Buffer): {controls: number; high: number} {
  let controls = 0
  let high = 0
  for (const b of bytes) {
    // NUL, BEL, BS, TAB, LF, VT, FF, CR and ESC occur in real banners; other C0 controls and DEL do not.
    if ((b >= 1 && b <= 6) || (b >= 14 && b <= 26) || (b >= 28 && b <= 31) || b === 127) controls++
    else if (b >= 0x80) high++
  }
  return {controls, high}
}

/**
 * True when `bytes` look like binary data rather than text. Only C0 controls that never occur in banners
 * count: bytes >= 0x80 do not, since legacy 8-bit code pages (CP1251, GBK, CP437 box drawing …) are text.
 * Uniformly random bytes hold about 9 % such controls.
 */
export function looksBinary(bytes: Buffer): boolean {
  if (bytes.length < 8) return false
  const {controls} = controlStats(bytes)
  return controls >= 4 && controls / bytes.length > 0.03
}

/** First `n` bytes as spaced hex, for error messages. */
export function hexPreview(buf: Buffer, n = 16): string {
  const head = buf.subarray(0, n).toString('hex').replace(/(..)/g, '$1 ').trim()
  return buf.length > n ? `${head} …` : head
}
