/**
 * Encoders for the SSH wire data types (RFC 4251 §5) that the raw client writes: byte, boolean, uint32, string,
 * mpint and name-list. Decoding is WireReader's (parse.ts).
 */

export function uint32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n >>> 0)
  return b
}

/** string: uint32 length + bytes. */
export function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  return Buffer.concat([uint32(bytes.length), bytes])
}

export function nameList(names: readonly string[]): Buffer {
  return sshString(Buffer.from(names.join(','), 'ascii'))
}

/**
 * mpint of a non-negative integer given as unsigned big-endian bytes: leading zero bytes dropped, one zero byte
 * added when the high bit is set (two's complement), zero as an empty string.
 */
export function mpint(unsigned: Buffer): Buffer {
  let i = 0
  while (i < unsigned.length && unsigned[i] === 0) i++
  const magnitude = unsigned.subarray(i)
  if (magnitude.length === 0) return uint32(0)
  return magnitude[0] & 0x80 ? sshString(Buffer.concat([Buffer.from([0]), magnitude])) : sshString(magnitude)
}

/** The magnitude of an mpint's bytes as read by WireReader.string (its sign byte dropped). */
export function mpintMagnitude(bytes: Buffer): Buffer {
  let i = 0
  while (i < bytes.length - 1 && bytes[i] === 0) i++
  return bytes.subarray(i)
}

export function message(type: number, ...fields: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from([type]), ...fields])
}
