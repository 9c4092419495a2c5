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
  onConnect(abort: (err: Error) => void): void
  onHeaders(status: number, raw: string[], resume: () => void): boolean
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
    const bad = invalidHeader(req.headers)
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
      : netConnect({ host: this.host, port: this.port })
    socket.setNoDelay(true)
    this.socket = socket
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
    handler.onConnect((err) => {
      if (this.handler === handler) this.fail(err)
    })
    if (this.handler !== handler) return // aborted in onConnect
    let head = `${req.method} ${req.path} HTTP/1.1\r\n`
    let host = false
    for (const k in req.headers) {
      const lower = k.length === 4 || k.length === 14 || k.length === 17 || k.length === 10 ? k.toLowerCase() : ''
      if (lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection') continue
      if (lower === 'host') host = true
      head += `${k}: ${req.headers[k]}\r\n`
    }
    if (!host) head += `host: ${this.hostHeader}\r\n`
    head += 'connection: keep-alive\r\n'
    const body = req.body
    if (body !== null) head += `content-length: ${typeof body === 'string' ? Buffer.byteLength(body) : body.length}\r\n\r\n`
    else head += BODY_METHODS.has(req.method) ? 'content-length: 0\r\n\r\n' : '\r\n'
    if (typeof body === 'string') socket.write(head + body)
    else if (body) {
      socket.cork()
      socket.write(head, 'latin1')
      socket.write(body)
      socket.uncork()
    } else socket.write(head, 'latin1')
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
        this.head = buf
        return
      }
      this.head = null
      if (!this.parseHead(buf.toString('latin1', 0, end))) return
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

  /** false: the head was bad (failed) */
  private parseHead(head: string): boolean {
    const eol = head.indexOf('\r\n')
    const statusLine = eol < 0 ? head : head.slice(0, eol)
    const status = statusLine.startsWith('HTTP/1.') && statusLine.charCodeAt(8) === 32 ? Number(statusLine.slice(9, 12)) : NaN
    if (!(status >= 100 && status <= 999)) {
      this.fail(coded(`not an HTTP/1.x status line: ${JSON.stringify(statusLine.slice(0, 60))}`, 'HPE_INVALID_CONSTANT'))
      return false
    }
    if (status < 200 && status !== 101) return true // 100 Continue, 103 Early Hints: skipped
    const raw: string[] = []
    const all = this.req!.readHeaders !== false
    let length = -1
    let chunked = false
    let close = statusLine.charCodeAt(7) === 48 // HTTP/1.0: closes unless it says keep-alive
    for (let i = eol < 0 ? head.length : eol + 2; i < head.length; ) {
      let j = head.indexOf('\r\n', i)
      if (j < 0) j = head.length
      const c = head.indexOf(':', i)
      if (c < 0 || c > j) {
        this.fail(coded(`a header line without a colon: ${JSON.stringify(head.slice(i, Math.min(j, i + 60)))}`, 'HPE_INVALID_HEADER_TOKEN'))
        return false
      }
      const n = c - i
      // set-cookie and connection 10, location 8, content-encoding 16; framing 14, 17 (and 10)
      const kept = all || n === 10 || n === 8 || n === 16
      if (!kept && n !== 14 && n !== 17) {
        i = j + 2
        continue
      }
      const name = head.slice(i, c)
      const value = head.slice(c + 1, j).trim()
      if (kept) raw.push(name, value)
      if (n === 14 || n === 17 || n === 10) {
        const lower = name.toLowerCase()
        if (lower === 'content-length') {
          const v = Number(value)
          if (!Number.isInteger(v) || v < 0 || (length >= 0 && v !== length)) {
            this.fail(coded(`a bad content-length: ${JSON.stringify(value)}`, 'HPE_INVALID_CONTENT_LENGTH'))
            return false
          }
          length = v
        } else if (lower === 'transfer-encoding') chunked = /(^|,)\s*chunked\s*$/i.test(value)
        else if (lower === 'connection') {
          const v = value.toLowerCase()
          if (v.includes('close')) close = true
          else if (v.includes('keep-alive')) close = false
        }
      }
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
    handler.onHeaders(status, raw, this.resume)
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

const HTTP1 = Buffer.from('HTTP/1.')
/** the bytes so far could begin `HTTP/1.` */
function startsLikeHttp(b: Buffer): boolean {
  const n = Math.min(b.length, HTTP1.length)
  return b.compare(HTTP1, 0, n, 0, n) === 0
}

/** as undici refuses them: a CR, LF or NUL in a header would split the request */
function invalidHeader(headers: Record<string, string>): string | null {
  for (const k in headers) {
    const v = headers[k]!
    if (/[\r\n\0]/.test(v) || /[\r\n\0:\s]/.test(k)) return `invalid ${k} header`
  }
  return null
}
