// One HTTP exchange for a virtual user, over its own keep-alive connection (the lean HTTP/1.1
// path of lean-client.ts, or undici's Client for HTTP/2),
// timed from the send (or the intended send time) to the last body byte. Bodies nobody reads
// are counted and dropped as they arrive; bodies a check reads go through a bounded sink
// (body-sink.ts), decoded (gzip, deflate, br) on the way.

import type { buildConnector, Client, Dispatcher } from 'undici'
import type { BodyRead } from '../../compile.js'
import { BodySink } from './body-sink.js'
import { decoderFor, type Decoder } from './decode.js'
import { watchDeadline, unwatchDeadline, type Deadline } from './deadlines.js'
import { LeanClient } from './lean-client.js'

/** a user's connection to one origin: undici's Client (HTTP/2, TLS with ALPN) or the lean HTTP/1.1 path */
export type Transport = Client | LeanClient | PendingClient

type Undici = typeof import('undici')
/** undici, imported only when a run sends through it (HTTP/2, GOLIVE_HTTP_CLIENT=undici): a
 *  plain HTTP/1.1 run never loads it (a smaller thread) */
let undici: Undici | null = null
let loading: Promise<Undici> | null = null
export function loadUndici(): Promise<Undici> {
  loading ??= import('undici').then((m) => (undici = m))
  return loading
}

/** whether a run may send through undici (`origins`: the target's, and any text that may hold
 *  one): then its threads load it before they start; an origin met later, by a redirect or a
 *  variable, waits for the import (PendingClient) */
export function mayUseUndici(http: '1.1' | 'auto', origins: readonly string[]): boolean {
  return process.env.GOLIVE_HTTP_CLIENT === 'undici' || (http !== '1.1' && origins.some((o) => /https:/i.test(o)))
}

export interface Exchange {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** the body text (at most maxBodyBytes of it), only when a check or capture reads it */
  text: string | null
  /** wire bytes of the body (before decoding) */
  bytes: number
  /** body bytes after decoding; null when golive did not decode the body to its end */
  decodedBytes: number | null
  /** the body was longer than maxBodyBytes: checks saw only its start */
  truncated: boolean
  /** streamed bodyContains result (null: the step has none) */
  contains: boolean | null
  proto: 'h2' | 'http/1.1'
  ms: number
  /** Set-Cookie values, when the request asked for them (the user keeps a jar) and there are any */
  setCookie: string[] | null
  /** the Location header, when the request asked for it (the step follows redirects) */
  location: string | null
}

/** no (complete) response; `bytes`: body bytes that did arrive (a body cut off by its timeout) */
export interface TransportFailure {
  code: string
  message: string
  ms: number
  bytes: number
}

/** the one Target type lives in core (core/target.ts); imported here as before */
export type { Target } from '../../../core/target.js'

/** the protocol negotiated on a client's connection, recorded by its connector */
const protoOf = new WeakMap<Transport, 'h2' | 'http/1.1'>()
/** a client's socket while it connects: a stalled TLS handshake is ended by destroying it */
const connecting = new WeakMap<Transport, { destroy(): void }>()

/** A VU's connections, one per origin (a step may name an absolute URL). */
export class Connections {
  private clients = new Map<string, Transport>()
  /** GOLIVE_HTTP_CLIENT=undici: every origin through undici (the lean path's escape hatch, and the
   *  agreement test's other side); read per user, so a worker started with it set uses it */
  private readonly lean = process.env.GOLIVE_HTTP_CLIENT !== 'undici'
  /** `h2`: offer HTTP/2 by ALPN over TLS (scenario http: 'auto'); the server chooses */
  constructor(
    private readonly ca: string | undefined,
    private readonly h2 = true,
  ) {}

  get(origin: string): Transport {
    let c = this.clients.get(origin)
    if (!c || c.destroyed || c.closed) {
      const allowH2 = this.h2 && origin.startsWith('https:')
      if (this.lean && !allowH2) {
        c = new LeanClient(origin, this.ca)
        this.clients.set(origin, c)
        return c
      }
      if (!undici) {
        c = new PendingClient(() => this.undiciClient(origin, allowH2))
        this.clients.set(origin, c)
        return c
      }
      c = this.undiciClient(origin, allowH2)
      this.clients.set(origin, c)
    }
    return c
  }

  private undiciClient(origin: string, allowH2: boolean): Client {
    const { buildConnector, Client } = undici!
    const connector = buildConnector({ ca: this.ca, allowH2, timeout: 30_000 } as buildConnector.BuildOptions)
    const client: Client = new Client(origin, {
      pipelining: 1,
      keepAliveTimeout: 30_000,
      allowH2,
      connect: (opts, cb) => {
        const pending = connector(opts, (err, socket) => {
          connecting.delete(client)
          if (socket) protoOf.set(client, (socket as { alpnProtocol?: string | false }).alpnProtocol === 'h2' ? 'h2' : 'http/1.1')
          ;(cb as (e: Error | null, s: typeof socket) => void)(err, socket)
        }) as unknown
        if (pending && typeof (pending as { destroy?: unknown }).destroy === 'function') connecting.set(client, pending as { destroy(): void })
      },
    })
    return client
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()]
    this.clients.clear()
    await Promise.all(all.map((c) => c.destroy().catch(() => {})))
  }
}

/** undici's Client for an origin while undici is imported: requests wait for it */
class PendingClient {
  real: Client | null = null
  private gone = false
  private waiting: [Dispatcher.DispatchOptions, Dispatcher.DispatchHandler][] = []

  constructor(make: () => Client) {
    loadUndici().then(
      () => {
        if (this.gone) return
        const real = make()
        this.real = real
        for (const [opts, h] of this.waiting.splice(0)) {
          try {
            real.dispatch(opts, h)
          } catch (e) {
            ;(h as ExchangeHandler).onError(e as Error)
          }
        }
      },
      (e: Error) => {
        for (const [, h] of this.waiting.splice(0)) (h as ExchangeHandler).onError(e)
      },
    )
  }

  get destroyed(): boolean {
    return this.gone || (this.real?.destroyed ?? false)
  }

  get closed(): boolean {
    return this.gone || (this.real?.closed ?? false)
  }

  dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.real) return this.real.dispatch(opts, handler)
    if (this.gone) (handler as ExchangeHandler).onError(coded('the client was destroyed', 'UND_ERR_DESTROYED'))
    else this.waiting.push([opts, handler])
    return false
  }

  destroy(): Promise<void> {
    this.gone = true
    for (const [, h] of this.waiting.splice(0)) (h as ExchangeHandler).onError(coded('the client was destroyed', 'UND_ERR_DESTROYED'))
    return this.real ? this.real.destroy() : Promise.resolve()
  }
}

/** the client a transport stands for (a PendingClient's undici Client once it exists) */
const actual = (t: Transport): Transport => (t instanceof PendingClient ? (t.real ?? t) : t)

/** Lets the VU cut off its request in flight (hard stop) without a listener per request. */
export interface InFlight {
  abort(): void
}

export interface ExchangeRequest {
  method: string
  path: string
  headers: Record<string, string>
  body: string | Buffer | null
  timeoutMs: number
  /** null: nobody reads the body (count bytes only) */
  read: BodyRead | null
  readHeaders: boolean
  /** pick Set-Cookie and Location out of the headers (the user keeps a jar, or the step follows redirects) */
  readSession?: boolean
  /** the same object for each request of a step (the lean client keeps its encoded head) */
  reuse?: object
}

/**
 * One request through undici's low-level dispatch: no response stream, no per-request abort
 * listener. The step's timeout bounds the whole exchange (connect, headers, body), so a body
 * that trickles one byte a second ends as BODY_TIMEOUT rather than holding the user.
 */
export function exchange(
  client: Transport,
  req: ExchangeRequest,
  startedAt: number,
  onStart?: (inFlight: InFlight) => void,
): Promise<Exchange | TransportFailure> {
  return new Promise((resolve) => send(client, req, startedAt, onStart, resolve))
}

/** exchange() with a callback: the VU's loop calls it with no promise per request */
export function send(
  client: Transport,
  req: ExchangeRequest,
  startedAt: number,
  onStart: ((inFlight: InFlight) => void) | undefined,
  done: (r: Exchange | TransportFailure) => void,
): void {
  const h = new ExchangeHandler(client, req, startedAt, done)
  onStart?.(h)
  watchDeadline(h)
  try {
    if (client instanceof LeanClient) client.dispatch(req, h)
    else {
      const opts: Dispatcher.DispatchOptions = {
        method: req.method as Dispatcher.HttpMethod,
        path: req.path,
        headers: req.headers,
        body: req.body,
        // undici's own timers stay as a backstop behind the whole-exchange deadline
        headersTimeout: req.timeoutMs + 1000,
        bodyTimeout: req.timeoutMs + 1000,
      }
      client.dispatch(opts, h as unknown as Dispatcher.DispatchHandler)
    }
  } catch (e) {
    h.onError(e as Error)
  }
}

const NO_HEADERS: Exchange['headers'] = Object.freeze({})

/**
 * undici's legacy handler shape (what Client speaks natively: no adapter per response, headers
 * raw until a capture asks). One object per request with its methods on the prototype, so a step
 * that reads nothing costs no closures; it is also the request's deadline, its InFlight, and the
 * Exchange it ends with (no result object per response).
 */
class ExchangeHandler implements Deadline, InFlight, Exchange {
  readonly at: number
  status = 0
  headers: Exchange['headers'] = NO_HEADERS
  text: string | null = null
  bytes = 0
  decodedBytes: number | null = null
  truncated = false
  contains: boolean | null = null
  proto: 'h2' | 'http/1.1' = 'http/1.1'
  ms = 0
  setCookie: string[] | null = null
  location: string | null = null
  private rawHeaders: RawHeaders | null = null
  private sink: BodySink | null = null
  private dec: Decoder | null = null
  private abortRequest: ((err: Error) => void) | null = null
  private cancelled = false
  private settled = false

  constructor(
    private readonly client: Transport,
    private readonly req: ExchangeRequest,
    private readonly startedAt: number,
    private readonly resolve: (r: Exchange | TransportFailure) => void,
  ) {
    this.at = startedAt + req.timeoutMs
  }

  /** hard stop of the user */
  abort(): void {
    if (this.settled) return
    this.cancelled = true
    this.abortRequest?.(coded('request aborted: the user was stopped', 'UND_ERR_ABORTED'))
  }

  /** the step's timeout passed: one error kind per phase */
  expire(): void {
    if (this.settled) return
    const s = `${this.req.timeoutMs} ms`
    if (!this.abortRequest) {
      // no connection yet (TCP connect or TLS handshake stalled): only destroying the client
      // and its half-open socket frees it
      this.onError(coded(`no connection within ${s} (TCP connect or TLS handshake stalled)`, 'GOLIVE_CONNECT_TIMEOUT'))
      this.client.destroy().catch(() => {})
      connecting.get(actual(this.client))?.destroy()
    } else if (!this.rawHeaders) this.abortRequest(coded(`no response headers within ${s}`, 'UND_ERR_HEADERS_TIMEOUT'))
    else this.abortRequest(coded(`the body did not end within ${s} (${this.bytes} bytes received)`, 'UND_ERR_BODY_TIMEOUT'))
  }

  onConnect(abort: (err: Error) => void): void {
    this.abortRequest = abort
    if (this.cancelled) abort(coded('request aborted: the user was stopped', 'UND_ERR_ABORTED'))
  }

  onHeaders(statusCode: number, raw: RawHeaders, resume: () => void): boolean {
    this.status = statusCode
    this.rawHeaders = raw
    if (this.req.readSession) sessionHeaders(raw, this)
    if (this.req.read && this.req.method !== 'HEAD') {
      this.sink = new BodySink(this.req.read)
      this.dec = decoderFor(contentEncoding(raw), this.sink, resume)
    }
    return true
  }

  onData(chunk: Buffer): boolean {
    this.bytes += chunk.length
    const sink = this.sink
    if (!sink || sink.done) return true
    // the lean client's chunk is its read buffer, valid during this call: what is kept is a copy
    const data = this.client instanceof LeanClient ? Buffer.from(chunk) : chunk
    if (this.dec) return this.dec.write(data)
    sink.push(data)
    return true
  }

  onComplete(): void {
    if (this.dec && !this.dec.stopped) this.dec.end(() => this.done())
    else this.done()
  }

  onError(e: Error): void {
    const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string } }
    this.fail({ code: errorCode(err), message: String(err.message ?? e), ms: performance.now() - this.startedAt, bytes: this.bytes })
    this.dec?.stop()
  }

  private done(): void {
    if (this.settled) return
    const { sink, dec, rawHeaders, bytes } = this
    const ms = performance.now() - this.startedAt
    if (dec?.failed) return this.fail({ code: 'BAD_ENCODING', message: `the ${dec.encoding} body could not be decoded: ${dec.failed.message}`, ms, bytes })
    const complete = !dec || dec.ended
    if (this.req.readHeaders && rawHeaders) this.headers = parseRawHeaders(rawHeaders)
    this.proto = protoOf.get(actual(this.client)) ?? 'http/1.1'
    if (sink) {
      this.text = sink.text()
      this.decodedBytes = complete ? (dec ? sink.decoded : bytes) : null
      this.truncated = sink.truncated
      this.contains = sink.found
    } else this.decodedBytes = rawHeaders && hasEncoding(rawHeaders) ? null : bytes
    this.ms = ms
    this.settled = true
    unwatchDeadline(this)
    this.resolve(this)
  }

  private fail(r: TransportFailure): void {
    if (this.settled) return
    this.settled = true
    unwatchDeadline(this)
    this.resolve(r)
  }
}

/** header names and values in turn: Buffers from undici, strings from the lean path */
type RawHeaders = readonly (Buffer | string)[]
const latin1 = (x: Buffer | string) => (typeof x === 'string' ? x : x.toString('latin1'))

function contentEncoding(raw: RawHeaders): string {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.length === 16 && latin1(raw[i]!).toLowerCase() === 'content-encoding')
      return latin1(raw[i + 1]!)
        .trim()
        .toLowerCase()
  }
  return ''
}

function hasEncoding(raw: RawHeaders): boolean {
  const e = contentEncoding(raw)
  return e !== '' && e !== 'identity'
}

/** raw [name, value, ...] → lower-case names; repeated names become lists */
function parseRawHeaders(raw: RawHeaders): Exchange['headers'] {
  const out: Record<string, string | string[]> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = latin1(raw[i]!).toLowerCase()
    const v = latin1(raw[i + 1]!)
    const have = out[k]
    out[k] = have === undefined ? v : Array.isArray(have) ? [...have, v] : [have, v]
  }
  return out
}

/** Picks Set-Cookie and Location out of raw headers without decoding the others. */
function sessionHeaders(raw: RawHeaders, out: { setCookie: string[] | null; location: string | null }): void {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!
    const c = (typeof k === 'string' ? k.charCodeAt(0) : k[0]!) | 0x20 // lower-case first byte: most names are ruled out without a string
    if (c !== 0x73 && c !== 0x6c) continue
    if (k.length === 10 && latin1(k).toLowerCase() === 'set-cookie') (out.setCookie ??= []).push(latin1(raw[i + 1]!))
    else if (k.length === 8 && latin1(k).toLowerCase() === 'location') out.location = latin1(raw[i + 1]!)
  }
}

function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), { code })
}

/** Error kinds, one name each (docs/http.md says what they mean); k6's codes map to the same. */
export function errorCode(err: { code?: string; name?: string; message?: string; cause?: { code?: string } }): string {
  const code = err.cause?.code === 'ECONNRESET' ? 'ECONNRESET' : (err.code ?? err.cause?.code ?? err.name ?? 'ERROR')
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return 'TIMEOUT'
  if (code === 'UND_ERR_BODY_TIMEOUT') return 'BODY_TIMEOUT'
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'GOLIVE_CONNECT_TIMEOUT') return 'CONNECT_TIMEOUT'
  if (code.startsWith('HPE_') || err.name === 'HTTPParserError') return 'BAD_RESPONSE'
  if (code === 'UND_ERR_SOCKET') return 'SOCKET_CLOSED'
  if (code === 'UND_ERR_ABORTED' || code === 'AbortError') return 'ABORTED'
  return code
}

export function isFailure(r: Exchange | TransportFailure): r is TransportFailure {
  return (r as TransportFailure).code !== undefined
}
