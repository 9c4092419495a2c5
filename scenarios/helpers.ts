// golive/helpers: what hooks need to sign and identify requests, the same bytes on both engines.
// This is the embedded engine's build (node:crypto); scenarios/engines/k6/helpers.ts is k6's
// (k6/crypto, k6/encoding) with the same signatures, and a test holds their outputs equal.
//   import { hmacSha256, sha256, base64Encode, base64Decode, uuid, randomInt, randomPick } from 'golive/helpers'

import { createHash, createHmac, randomBytes } from 'node:crypto'
import { checkEncoding, formatUuid, type Bytes, type DigestEncoding } from './helpers-shared.js'

export { randomInt, randomPick, type Bytes, type DigestEncoding } from './helpers-shared.js'

const buf = (d: Bytes): Buffer => (typeof d === 'string' ? Buffer.from(d, 'utf8') : Buffer.from(d.buffer, d.byteOffset, d.byteLength))

/** SHA-256 of text (UTF-8) or bytes: hex by default. */
export function sha256(data: Bytes, encoding: DigestEncoding = 'hex'): string {
  return createHash('sha256').update(buf(data)).digest(checkEncoding(encoding))
}

/** HMAC-SHA256 of `data` with `key` (text as UTF-8, or bytes): hex by default. */
export function hmacSha256(key: Bytes, data: Bytes, encoding: DigestEncoding = 'hex'): string {
  return createHmac('sha256', buf(key)).update(buf(data)).digest(checkEncoding(encoding))
}

/** Base64 of text (UTF-8) or bytes: 'std' (padded, the default) or 'url' (URL-safe, unpadded). */
export function base64Encode(data: Bytes, variant: 'std' | 'url' = 'std'): string {
  return buf(data).toString(variant === 'url' ? 'base64url' : 'base64')
}

/** Base64 ('std' or 'url') back to text (UTF-8). */
export function base64Decode(text: string, variant: 'std' | 'url' = 'std'): string {
  return Buffer.from(text, variant === 'url' ? 'base64url' : 'base64').toString('utf8')
}

/** A random version 4 UUID. */
export function uuid(): string {
  return formatUuid(new Uint8Array(randomBytes(16)))
}
