// Where a body a check reads goes: at most `limit` (decoded) bytes are looked at. The text is kept
// only when a capture or JSON check needs it; bodyContains is searched as the bytes stream past,
// keeping a window of needle length − 1 across chunks, so memory stays bounded by the limit.

import type { BodyRead } from '../../compile.js'

export class BodySink {
  /** decoded bytes produced so far (counted past the limit too, while decoding goes on) */
  decoded = 0
  /** decoded bytes looked at (≤ limit) */
  private seen = 0
  private readonly chunks: Buffer[] | null
  private readonly needle: Buffer | null
  private tail: Buffer | null = null
  found: boolean | null
  truncated = false
  /** the limit is reached: decoding stops (a body within the limit is decoded to its end, so its
   *  decoded size is known) */
  done = false

  constructor(private readonly read: BodyRead) {
    this.chunks = read.keep ? [] : null
    this.needle = read.contains !== null ? Buffer.from(read.contains) : null
    this.found = this.needle ? this.needle.length === 0 : null
  }

  /** one decoded chunk; false once the sink wants no more */
  push(buf: Buffer): boolean {
    this.decoded += buf.length
    if (this.done) return false
    const room = this.read.limit - this.seen
    let piece = buf
    if (buf.length > room) {
      piece = buf.subarray(0, room)
      this.truncated = true
    }
    this.seen += piece.length
    // zlib reuses no output buffers, undici's chunks are views of its socket reads: copy only what is kept
    if (this.chunks && piece.length) this.chunks.push(piece === buf ? buf : Buffer.from(piece))
    if (this.needle && !this.found) this.search(piece)
    if (this.truncated) this.done = true
    return !this.done
  }

  private search(piece: Buffer): void {
    const needle = this.needle!
    const w = needle.length - 1
    if (this.tail && this.tail.length) {
      const seam = Buffer.concat([this.tail, piece.subarray(0, w)])
      if (seam.indexOf(needle) >= 0) {
        this.found = true
        return
      }
    }
    if (piece.indexOf(needle) >= 0) {
      this.found = true
      return
    }
    if (w === 0) return
    if (piece.length >= w) this.tail = Buffer.from(piece.subarray(piece.length - w))
    else {
      const joined = this.tail ? Buffer.concat([this.tail, piece]) : Buffer.from(piece)
      this.tail = joined.length > w ? joined.subarray(joined.length - w) : joined
    }
  }

  text(): string | null {
    return this.chunks ? Buffer.concat(this.chunks).toString('utf8') : null
  }
}
