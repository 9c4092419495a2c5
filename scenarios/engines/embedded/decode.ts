// Content decoding of a body a check reads, streaming through node:zlib. The socket is paused
// while the decoder catches up (undici's resume), so a compressed body never piles up in memory;
// decoding stops as soon as the sink has what it needs (a gzip bomb costs at most the limit).

import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw, type Gunzip } from 'node:zlib'
import type { BodySink } from './body-sink.js'

export class Decoder {
  failed: Error | null = null
  ended = false
  stopped = false
  private z: Gunzip | null = null
  private paused = false
  private onEnd: (() => void) | null = null
  private first = true

  constructor(
    readonly encoding: string,
    private readonly sink: BodySink,
    private readonly resume: () => void,
  ) {}

  /** a wire chunk; false pauses the socket until the decoder drains */
  write(chunk: Buffer): boolean {
    if (this.stopped) return true
    if (this.first) {
      this.first = false
      this.z = this.open(chunk)
    }
    const ok = this.z!.write(chunk)
    if (!ok) this.paused = true
    return ok
  }

  end(cb: () => void): void {
    if (!this.z) {
      this.ended = true
      cb()
      return
    }
    this.onEnd = cb
    this.z.end()
  }

  /** no more decoding (sink satisfied, error or abort); the socket goes on, counted only */
  stop(): void {
    if (this.stopped) return
    this.stopped = true
    this.z?.removeAllListeners('data')
    this.z?.destroy()
    if (this.paused) {
      this.paused = false
      this.resume()
    }
    const cb = this.onEnd
    this.onEnd = null
    cb?.()
  }

  private open(firstChunk: Buffer): Gunzip {
    // 'deflate' should be zlib-wrapped (RFC 9110) but some servers send it raw: the first byte says
    const z = (
      this.encoding === 'br'
        ? createBrotliDecompress()
        : this.encoding === 'deflate'
          ? (firstChunk[0]! & 0x0f) === 8
            ? createInflate()
            : createInflateRaw()
          : createGunzip()
    ) as Gunzip
    z.on('data', (b: Buffer) => {
      if (!this.sink.push(b)) this.stop()
    })
    z.on('drain', () => {
      if (this.paused) {
        this.paused = false
        this.resume()
      }
    })
    z.on('error', (e: Error) => {
      this.failed = e
      this.stop()
    })
    z.on('end', () => {
      this.ended = true
      const cb = this.onEnd
      this.onEnd = null
      cb?.()
    })
    return z
  }
}

/** a decoder for the response's content-encoding, or null when the body is sent as is */
export function decoderFor(encoding: string, sink: BodySink, resume: () => void): Decoder | null {
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate' || encoding === 'br') return new Decoder(encoding, sink, resume)
  return null
}
