/// <reference types="k6" />
// golive/helpers inside a k6 script: the same functions as scenarios/helpers.ts (node:crypto),
// on k6's own crypto and encoding modules. The k6 bundle resolves 'golive/helpers' here.

import crypto from 'k6/crypto'
import encoding from 'k6/encoding'
import { checkEncoding, formatUuid, type Bytes, type DigestEncoding } from '../../helpers-shared.js'

export { randomInt, randomPick, type Bytes, type DigestEncoding } from '../../helpers-shared.js'

// k6 reads a JavaScript string as UTF-8 text, and bytes as an ArrayBuffer
const input = (d: Bytes): string | ArrayBuffer => (typeof d === 'string' ? d : (d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength) as ArrayBuffer))
const K6_ENCODING = { hex: 'hex', base64: 'base64', base64url: 'base64rawurl' } as const

export function sha256(data: Bytes, enc: DigestEncoding = 'hex'): string {
  return crypto.sha256(input(data), K6_ENCODING[checkEncoding(enc)])
}

export function hmacSha256(key: Bytes, data: Bytes, enc: DigestEncoding = 'hex'): string {
  return crypto.hmac('sha256', input(key), input(data), K6_ENCODING[checkEncoding(enc)])
}

export function base64Encode(data: Bytes, variant: 'std' | 'url' = 'std'): string {
  return encoding.b64encode(input(data), variant === 'url' ? 'rawurl' : 'std')
}

export function base64Decode(text: string, variant: 'std' | 'url' = 'std'): string {
  // the padding a 'url' text may or may not carry: k6's rawurl decoder wants none
  return encoding.b64decode(variant === 'url' ? text.replace(/=+$/, '') : text, variant === 'url' ? 'rawurl' : 'std', 's')
}

export function uuid(): string {
  return formatUuid(new Uint8Array(crypto.randomBytes(16)))
}
