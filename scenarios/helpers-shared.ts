// The parts of golive/helpers that are the same code on both engines (no crypto of their own).

/** text (encoded as UTF-8) or bytes */
export type Bytes = string | Uint8Array
/** how a digest is written: hex (lower-case), base64 (padded), base64url (RFC 4648 §5, unpadded, as in JWTs) */
export type DigestEncoding = 'hex' | 'base64' | 'base64url'

/** A random whole number in [min, max], both included. */
export function randomInt(min: number, max: number): number {
  if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) throw new Error(`randomInt(${min}, ${max}): expected whole numbers with min <= max`)
  return min + Math.floor(Math.random() * (max - min + 1))
}

/** A random element of a non-empty list. */
export function randomPick<T>(list: readonly T[]): T {
  if (!Array.isArray(list) || list.length === 0) throw new Error('randomPick: expected a non-empty list')
  return list[Math.floor(Math.random() * list.length)]!
}

/** A version 4 UUID from 16 random bytes (RFC 9562 §5.4). */
export function formatUuid(b: Uint8Array): string {
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  let h = ''
  for (let i = 0; i < 16; i++) h += b[i]!.toString(16).padStart(2, '0')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

export function checkEncoding(e: string): DigestEncoding {
  if (e !== 'hex' && e !== 'base64' && e !== 'base64url') throw new Error(`unknown encoding '${e}': use 'hex', 'base64' or 'base64url'`)
  return e
}
