/**
 * Encoding of ASN.1 tag-length-value elements (X.690) with definite, minimal lengths: DER where the content is,
 * and the BER SNMP sends. Decoding stays with each protocol's reader (its own bounds and errors).
 */

function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

export function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body])
}

/** INTEGER of a non-negative number given as unsigned big-endian bytes (leading zeros dropped, a sign byte added). */
export function derUnsignedInteger(unsigned: Buffer): Buffer {
  let i = 0
  while (i < unsigned.length - 1 && unsigned[i] === 0) i++
  const m = unsigned.subarray(i)
  return tlv(0x02, m.length > 0 && m[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), m]) : m)
}
