// The lean HTTP/1.1 path (issue 22): one keep-alive connection per user and origin, a request
// head written in one piece, and a response parser that reads the status line and the framing
// headers (content-length, transfer-encoding, connection) and hands every header on as strings,
// without llhttp's callbacks across the wasm boundary or undici's request objects. It speaks the
// same handler protocol as undici's Client (onConnect, onHeaders, onData, onComplete, onError),
// so http.ts's ExchangeHandler (timeouts, bounded body reads, decoding, the cookie jar's
// Set-Cookie, redirects' Location) is one piece of code over both paths. Used for http: origins,
// and https: ones when the scenario says http: '1.1'; HTTP/2 stays with undici, and
// GOLIVE_HTTP_CLIENT=undici sends everything through undici.
//
// What a lean path must still get right, as undici does: a body framed by content-length, by
// chunks (extensions and trailers skipped) or by the connection's end; no body for HEAD, 1xx, 204,
// 304; informational responses skipped; `Connection: close` and HTTP/1.0 ending the connection; a
// keep-alive connection the server closed while idle replaced before the next request, and an
// idempotent request that met that close with no answer byte sent again once (as Go's net/http and
// so k6 do); a status line that is not HTTP, a head over 64 KiB, a bad chunk size: BAD_RESPONSE.

import { connect as netConnect, isIP, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'

/** what ExchangeHandler implements (undici's legacy handler shape, headers as strings) */
export interface LeanHandler {
  /** `abort` cuts the exchange in flight off; called after the exchange ended, it may cut off the
   *  client's next one: a handler calls it only while its own is in flight */
  onConnect(abort: (err: Error) => void): void
  onHeaders(status: number, raw: string[], resume: () => void): boolean
  /** `chunk` is valid during the call only (a plain-TCP connection reads into one buffer per
   *  thread): a handler that keeps it copies it */
  onData(chunk: Buffer): boolean
  onComplete(): void
  onError(err: Error): void
}

export interface LeanRequest {
  method: string
  path: string
  headers: Record<string, string>
  body: string | Buffer | null
  /** false: hand on only the headers the exchange reads without a capture (Set-Cookie, Location,
   *  Content-Encoding); the others are skipped unread, with no string made for them */
  readHeaders?: boolean
  /** the same object for each request of one step: its encoded head is kept per connection and
   *  written again while the method, path, headers and body length are the same */
  reuse?: object
}

/** a request head encoded once, and what it was made of */
interface EncodedHead {
  /** method, path, then header names and values in turn */
  parts: string[]
  /** the body's length, -1 without one */
  bodyLength: number
  buf: Buffer
}

const MAX_HEAD = 64 * 1024
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE'])
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH'])
const CRLF2 = Buffer.from('\r\n\r\n')

const coded = (message: string, code: string) => Object.assign(new Error(message), { code })

const enum Body {
  None,
  Length,
  Chunked,
  UntilClose,
}
const enum Chunk {
  Size,
  Data,
  DataEnd,
  Trailers,
}

export class LeanClient {
  destroyed = false
  closed = false
  private socket: Socket | null = null
  /** the socket has carried a response: a close with no answer may be the keep-alive race */
  private reused = false
  private readonly hostHeader: string
  private readonly host: string
  private readonly port: number
  private readonly tls: boolean

  // the exchange in flight (one at a time: a user sends its requests in turn)
  private handler: LeanHandler | null = null
  private req: LeanRequest | null = null
  private queue: [LeanRequest, LeanHandler][] = []
  private retried = false
  private gotBytes = false
  private head: Buffer | null = null
  private headersDone = false
  private framing = Body.None
  private remaining = 0
  private chunkState = Chunk.Size
  private line = ''
  private closeAfter = false
  /** the last head each step sent on this client (LeanRequest.reuse) */
  private heads: Map<object, EncodedHead> | null = null

  constructor(
    origin: string,
    private readonly ca?: string,
  ) {
    const u = new URL(origin)
    this.tls = u.protocol === 'https:'
    this.port = Number(u.port) || (this.tls ? 443 : 80)
    this.host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname
    this.hostHeader = u.host
  }

  dispatch(req: LeanRequest, handler: LeanHandler): boolean {
    if (this.destroyed) {
      handler.onError(coded('the client was destroyed', 'UND_ERR_DESTROYED'))
      return false
    }
    if (this.handler) {
      this.queue.push([req, handler])
      return false
    }
    this.retried = false
    this.start(req, handler)
    return true
  }

  destroy(): Promise<void> {
    if (!this.destroyed) {
      this.destroyed = true
      this.closed = true
      this.fail(coded('the client was destroyed', 'UND_ERR_DESTROYED'))
      for (const [, h] of this.queue.splice(0)) h.onError(coded('the client was destroyed', 'UND_ERR_DESTROYED'))
    }
    return Promise.resolve()
  }

  private start(req: LeanRequest, handler: LeanHandler): void {
    const cached = req.reuse ? this.heads?.get(req.reuse) : undefined
    // a head already sent was checked when it was made
    const bad = cached && sameHead(cached, req) ? null : invalidHeader(req.headers)
    if (bad) {
      handler.onError(coded(bad, 'UND_ERR_INVALID_ARG'))
      return this.next()
    }
    this.handler = handler
    this.req = req
    this.gotBytes = false
    this.head = null
    this.headersDone = false
    this.closeAfter = false
    const s = this.socket
    if (s && !s.destroyed && s.writable) return this.send(s)
    this.reused = false
    const socket = this.tls
      ? tlsConnect({ host: this.host, port: this.port, ca: this.ca, ALPNProtocols: ['http/1.1'], ...(isIP(this.host) ? {} : { servername: this.host }) })
      : netConnect({
          host: this.host,
          port: this.port,
          // read into the thread's one buffer: no Buffer and no stream 'data' event per read
          onread: {
            buffer: readBuffer(),
            callback: (n: number, buf: Uint8Array) => {
              if (this.socket === socket) this.onData((buf as Buffer).subarray(0, n))
              return true
            },
          },
        })
    socket.setNoDelay(true)
    this.socket = socket
    if (this.tls)
      socket.on('data', (d: Buffer) => {
        if (this.socket === socket) this.onData(d)
      })
    socket.on('end', () => {
      if (this.socket === socket) this.onEnd()
    })
    socket.on('error', (e) => {
      if (this.socket === socket) this.onSocketError(e)
    })
    socket.on('close', () => {
      if (this.socket === socket) this.onEnd()
    })
    socket.once(this.tls ? 'secureConnect' : 'connect', () => {
      if (this.socket === socket && this.handler === handler) this.send(socket)
    })
  }

  private send(socket: Socket): void {
    const req = this.req!
    const handler = this.handler!
    handler.onConnect(this.abortCurrent)
    if (this.handler !== handler) return // aborted in onConnect
    const body = req.body
    const head = this.encodedHead(req, body === null ? -1 : typeof body === 'string' ? Buffer.byteLength(body) : body.length)
    if (body === null) socket.write(head)
    else {
      // head and body leave in one write (writev)
      socket.cork()
      socket.write(head)
      socket.write(body)
      socket.uncork()
    }
  }

  /** the request head: the one this step sent last when nothing in it changed, else encoded anew */
  private encodedHead(req: LeanRequest, bodyLength: number): Buffer {
    const key = req.reuse
    if (key) {
      const c = this.heads?.get(key)
      if (c && c.bodyLength === bodyLength && sameHead(c, req)) return c.buf
    }
    let head = `${req.method} ${req.path} HTTP/1.1\r\n`
    let host = false
    const parts: string[] | null = key ? [req.method, req.path] : null
    for (const k in req.headers) {
      const v = req.headers[k]!
      parts?.push(k, v)
      const lower = k.length === 4 || k.length === 14 || k.length === 17 || k.length === 10 ? k.toLowerCase() : ''
      if (lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection') continue
      if (lower === 'host') host = true
      head += `${k}: ${v}\r\n`
    }
    if (!host) head += `host: ${this.hostHeader}\r\n`
    head += 'connection: keep-alive\r\n'
    if (bodyLength >= 0) head += `content-length: ${bodyLength}\r\n\r\n`
    else head += BODY_METHODS.has(req.method) ? 'content-length: 0\r\n\r\n' : '\r\n'
    const buf = Buffer.from(head, 'latin1')
    if (key) (this.heads ??= new Map()).set(key, { parts: parts!, bodyLength, buf })
    return buf
  }

  /** what a handler calls to cut its exchange off (it does so only while the exchange is in
   *  flight: ExchangeHandler stops calling it once settled), bound once per client */
  private readonly abortCurrent = (err: Error): void => {
    if (this.handler) this.fail(err)
  }

  private onData(d: Buffer): void {
    if (!this.handler) {
      this.drop()
      return
    } // bytes nobody asked for: the connection is not in step
    this.gotBytes = true
    let at = 0
    if (!this.headersDone) {
      const buf = this.head ? Buffer.concat([this.head, d]) : d
      // what is not HTTP fails at its first bytes, as llhttp does, not when the server gives up
      if (!this.head && !startsLikeHttp(buf))
        return this.fail(coded(`not an HTTP/1.x status line: ${JSON.stringify(buf.toString('latin1', 0, 60).split('\r\n')[0])}`, 'HPE_INVALID_CONSTANT'))
      const end = buf.indexOf(CRLF2, this.head ? Math.max(0, this.head.length - 3) : 0)
      if (end < 0) {
        if (buf.length > MAX_HEAD) return this.fail(coded(`the response head is over ${MAX_HEAD} bytes`, 'HPE_HEADER_OVERFLOW'))
        // kept past this read: a copy (the read buffer is the thread's)
        this.head = buf === d ? Buffer.from(d) : buf
        return
      }
      this.head = null
      if (!this.parseHead(buf, end)) return
      d = buf
      at = end + 4
      if (!this.headersDone) {
        // an informational response: the real one follows
        if (at < d.length) this.onData(d.subarray(at))
        return
      }
    }
    if (at < d.length) this.body(at === 0 ? d : d.subarray(at))
    else if (this.framing === Body.None || (this.framing === Body.Length && this.remaining === 0)) this.complete()
  }

  /** Reads the head in b[0, end) from its bytes: the status, the framing headers, and as strings
   *  only the headers someone reads. false: the head was bad (failed). */
  private parseHead(b: Buffer, end: number): boolean {
    let eol = indexOfCrlf(b, 0, end)
    if (eol < 0) eol = end
    const status = eol >= 12 && b[8] === 32 && isHttp1(b) ? digit(b[9]!) * 100 + digit(b[10]!) * 10 + digit(b[11]!) : NaN
    if (!(status >= 100 && status <= 999)) {
      this.fail(coded(`not an HTTP/1.x status line: ${JSON.stringify(b.toString('latin1', 0, Math.min(eol, 60)))}`, 'HPE_INVALID_CONSTANT'))
      return false
    }
    if (status < 200 && status !== 101) return true // 100 Continue, 103 Early Hints: skipped
    const all = this.req!.readHeaders !== false
    let raw: string[] | null = null
    let length = -1
    let chunked = false
    let close = b[7] === 48 // HTTP/1.0: closes unless it says keep-alive
    for (let i = eol + 2; i < end; ) {
      let j = indexOfCrlf(b, i, end)
      if (j < 0) j = end
      let c = i
      while (c < j && b[c] !== 58) c++
      if (c === j) {
        this.fail(coded(`a header line without a colon: ${JSON.stringify(b.toString('latin1', i, Math.min(j, i + 60)))}`, 'HPE_INVALID_HEADER_TOKEN'))
        return false
      }
      const n = c - i
      // the value without its surrounding white space
      let vs = c + 1
      let ve = j
      while (vs < ve && (b[vs] === 32 || b[vs] === 9)) vs++
      while (ve > vs && (b[ve - 1] === 32 || b[ve - 1] === 9)) ve--
      if (n === 14 && nameIs(b, i, CONTENT_LENGTH)) {
        const v = decimal(b, vs, ve)
        if (v < 0 || (length >= 0 && v !== length)) {
          this.fail(coded(`a bad content-length: ${JSON.stringify(b.toString('latin1', vs, ve))}`, 'HPE_INVALID_CONTENT_LENGTH'))
          return false
        }
        length = v
      } else if (n === 17 && nameIs(b, i, TRANSFER_ENCODING)) chunked = /(^|,)\s*chunked\s*$/i.test(b.toString('latin1', vs, ve))
      else if (n === 10 && nameIs(b, i, CONNECTION)) {
        if (valueIs(b, vs, ve, KEEP_ALIVE)) close = false
        else if (valueIs(b, vs, ve, CLOSE)) close = true
        else {
          const v = b.toString('latin1', vs, ve).toLowerCase()
          if (v.includes('close')) close = true
          else if (v.includes('keep-alive')) close = false
        }
      }
      // what the exchange reads without a capture: set-cookie 10, location 8, content-encoding 16
      if (all || ((n === 10 || n === 8 || n === 16) && (nameIs(b, i, SET_COOKIE) || nameIs(b, i, LOCATION) || nameIs(b, i, CONTENT_ENCODING))))
        (raw ??= []).push(b.toString('latin1', i, c), b.toString('latin1', vs, ve))
      i = j + 2
    }
    const method = this.req!.method
    this.framing =
      method === 'HEAD' || status === 204 || status === 304
        ? Body.None
        : chunked
          ? Body.Chunked
          : length >= 0
            ? length === 0
              ? Body.None
              : Body.Length
            : Body.UntilClose
    this.remaining = length
    this.chunkState = Chunk.Size
    this.line = ''
    this.closeAfter = close || this.framing === Body.UntilClose
    this.headersDone = true
    const handler = this.handler!
    handler.onHeaders(status, raw ?? NO_RAW, this.resume)
    return this.handler === handler
  }

  private readonly resume = (): void => {
    this.socket?.resume()
  }

  private push(chunk: Buffer): boolean {
    if (this.handler!.onData(chunk) === false) this.socket?.pause()
    return this.handler !== null
  }

  private body(d: Buffer): void {
    if (this.framing === Body.UntilClose) {
      this.push(d)
      return
    }
    if (this.framing === Body.Length) {
      if (d.length < this.remaining) {
        this.remaining -= d.length
        this.push(d)
        return
      }
      const rest = this.remaining
      this.remaining = 0
      if (this.push(rest === d.length ? d : d.subarray(0, rest))) this.complete(d.length > rest)
      return
    }
    if (this.framing === Body.None) {
      this.complete(true)
      return
    }
    this.chunks(d)
  }

  private chunks(d: Buffer): void {
    let i = 0
    while (i < d.length && this.handler) {
      if (this.chunkState === Chunk.Data) {
        const take = Math.min(this.remaining, d.length - i)
        if (!this.push(d.subarray(i, i + take))) return
        i += take
        this.remaining -= take
        if (this.remaining === 0) {
          this.chunkState = Chunk.DataEnd
          this.remaining = 2
        }
        continue
      }
      if (this.chunkState === Chunk.DataEnd) {
        const take = Math.min(this.remaining, d.length - i)
        i += take
        this.remaining -= take
        if (this.remaining === 0) this.chunkState = Chunk.Size
        continue
      }
      // a size line, or a trailer line: up to its CRLF
      const nl = d.indexOf(10, i)
      this.line += d.toString('latin1', i, nl < 0 ? d.length : nl + 1)
      i = nl < 0 ? d.length : nl + 1
      if (nl < 0) {
        if (this.line.length > 4096) return this.fail(coded('a chunk line over 4096 bytes', 'HPE_INVALID_CHUNK_SIZE'))
        continue
      }
      const line = this.line.trimEnd()
      this.line = ''
      if (this.chunkState === Chunk.Trailers) {
        if (line === '') return this.complete(i < d.length)
        continue
      }
      const hex = line.split(';', 1)[0]!.trim()
      const size = /^[0-9a-f]{1,12}$/i.test(hex) ? parseInt(hex, 16) : NaN
      if (Number.isNaN(size)) return this.fail(coded(`a bad chunk size: ${JSON.stringify(line.slice(0, 40))}`, 'HPE_INVALID_CHUNK_SIZE'))
      if (size === 0) this.chunkState = Chunk.Trailers
      else {
        this.chunkState = Chunk.Data
        this.remaining = size
      }
    }
  }

  /** the response ended; `excess`: bytes followed it (a server out of step: not reused) */
  private complete(excess = false): void {
    const handler = this.handler!
    this.handler = null
    this.req = null
    this.reused = true
    if (this.closeAfter || excess) this.drop()
    else this.socket?.resume()
    handler.onComplete()
    this.next()
  }

  private next(): void {
    const q = this.queue.shift()
    if (q) {
      this.retried = false
      this.start(q[0], q[1])
    }
  }

  /** the connection ended (`reset`: by a reset) */
  private onEnd(reset?: Error): void {
    if (!this.handler) {
      this.drop()
      return
    } // an idle keep-alive connection closed: the next request connects anew
    if (!reset && this.headersDone && this.framing === Body.UntilClose) {
      this.socket = null
      this.complete()
      return
    }
    // the keep-alive race: the server closed the connection as this request went out on it
    if (!this.gotBytes && this.reused && !this.retried && IDEMPOTENT.has(this.req!.method)) {
      this.retried = true
      const [req, handler] = [this.req!, this.handler]
      this.drop()
      this.handler = null
      this.start(req, handler)
      return
    }
    this.fail(reset ?? coded(this.headersDone ? 'the connection closed before the body ended' : 'other side closed', 'UND_ERR_SOCKET'))
  }

  private onSocketError(e: Error): void {
    if (!this.handler) {
      this.drop()
      return
    }
    const code = (e as { code?: string }).code
    if (code === 'ECONNRESET' || code === 'EPIPE') return this.onEnd(e)
    this.fail(e)
  }

  private fail(err: Error): void {
    const handler = this.handler
    this.handler = null
    this.req = null
    this.drop()
    if (handler) {
      handler.onError(err)
      this.next()
    }
  }

  private drop(): void {
    const s = this.socket
    this.socket = null
    this.head = null
    s?.destroy()
  }
}

/** the buffer every plain-TCP lean connection of the thread reads into (its bytes are parsed, or
 *  copied, before the next read) */
let shared: Buffer | null = null
const readBuffer = (): Buffer => (shared ??= Buffer.allocUnsafe(64 * 1024))

const HTTP1 = Buffer.from('HTTP/1.')
/** the bytes so far could begin `HTTP/1.` */
function startsLikeHttp(b: Buffer): boolean {
  const n = Math.min(b.length, HTTP1.length)
  for (let i = 0; i < n; i++) if (b[i] !== HTTP1[i]) return false
  return true
}
function isHttp1(b: Buffer): boolean {
  return b.length >= HTTP1.length && startsLikeHttp(b)
}

const NO_RAW: string[] = Object.freeze([]) as unknown as string[]
const lowerBytes = (s: string) => Buffer.from(s, 'latin1')
const CONTENT_LENGTH = lowerBytes('content-length')
const TRANSFER_ENCODING = lowerBytes('transfer-encoding')
const CONNECTION = lowerBytes('connection')
const SET_COOKIE = lowerBytes('set-cookie')
const LOCATION = lowerBytes('location')
const CONTENT_ENCODING = lowerBytes('content-encoding')
const KEEP_ALIVE = lowerBytes('keep-alive')
const CLOSE = lowerBytes('close')

/** the first CR LF in b[from, end), or -1 */
function indexOfCrlf(b: Buffer, from: number, end: number): number {
  for (let i = from; i + 1 < end; i++) if (b[i] === 13 && b[i + 1] === 10) return i
  return -1
}

/** b at `at` holds `name` (lower-case letters and '-'), in any case */
function nameIs(b: Buffer, at: number, name: Buffer): boolean {
  if (at + name.length > b.length) return false
  for (let k = 0; k < name.length; k++) if ((b[at + k]! | 0x20) !== name[k]) return false
  return true
}

/** b[from, end) is `word` (lower-case letters and '-'), in any case */
function valueIs(b: Buffer, from: number, end: number, word: Buffer): boolean {
  return end - from === word.length && nameIs(b, from, word)
}

function digit(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : NaN
}

/** the decimal number in b[from, end); -1 when it is not one (empty, a sign, a point, past 2^53) */
function decimal(b: Buffer, from: number, end: number): number {
  if (from === end || end - from > 15) return -1
  let v = 0
  for (let i = from; i < end; i++) {
    const c = b[i]!
    if (c < 48 || c > 57) return -1
    v = v * 10 + (c - 48)
  }
  return v
}

/** the request is the one the head was made from (method, path, the same headers in the same order) */
function sameHead(c: EncodedHead, req: LeanRequest): boolean {
  const p = c.parts
  if (p[0] !== req.method || p[1] !== req.path) return false
  let i = 2
  for (const k in req.headers) {
    if (i >= p.length || p[i] !== k || p[i + 1] !== req.headers[k]) return false
    i += 2
  }
  return i === p.length
}

/** as undici refuses them: a CR, LF or NUL in a header would split the request */
function invalidHeader(headers: Record<string, string>): string | null {
  for (const k in headers) {
    const v = headers[k]!
    if (/[\r\n\0]/.test(v) || /[\r\n\0:\s]/.test(k)) return `invalid ${k} header`
  }
  return null
}
