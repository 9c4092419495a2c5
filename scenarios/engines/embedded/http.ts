// One HTTP exchange for a virtual user, over its own keep-alive connection (undici Client),
// timed from the send (or the intended send time) to the last body byte.

import { Client, type Dispatcher } from 'undici'

export interface Exchange {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** the body text, only when the step reads it */
  text: string | null
  bytes: number
  ms: number
  /** Set-Cookie values, when the request asked for them (the user keeps a jar) and there are any */
  setCookie: string[] | null
  /** the Location header, when the request asked for it (the step follows redirects) */
  location: string | null
}

export interface TransportFailure { code: string; message: string; ms: number }

export interface Target {
  origin: string; basePath: string; ca?: string
  /** the environment's headers and auth: sent to `origin` only */
  headers: [string, string][]
  /** origins besides `origin` steps and redirects may load (the environment's hosts) */
  hosts?: string[]
}

/** A VU's connections, one per origin (a step may name an absolute URL). */
export class Connections {
  private clients = new Map<string, Client>()
  constructor(private readonly ca: string | undefined) {}

  get(origin: string): Client {
    let c = this.clients.get(origin)
    if (!c) {
      c = new Client(origin, {
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connect: this.ca ? { ca: this.ca } : undefined,
      })
      this.clients.set(origin, c)
    }
    return c
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()]
    this.clients.clear()
    await Promise.all(all.map((c) => c.destroy().catch(() => {})))
  }
}

/** Lets the VU cut off its request in flight (hard stop) without a listener per request. */
export interface InFlight { abort(): void }

/**
 * One request through undici's low-level dispatch: no response stream, no per-request abort
 * listener; bytes are counted as they arrive and the body is kept only when the step reads it.
 */
export function exchange(
  client: Client,
  req: { method: string; path: string; headers: Record<string, string>; body: string | Buffer | null; timeoutMs: number; readBody: boolean; readHeaders: boolean; readSession?: boolean },
  startedAt: number,
  onStart?: (inFlight: InFlight) => void,
): Promise<Exchange | TransportFailure> {
  return new Promise((resolve) => {
    let status = 0
    let headers: Exchange['headers'] = {}
    let rawHeaders: Buffer[] | null = null
    let bytes = 0
    const session = { setCookie: null as string[] | null, location: null as string | null }
    const chunks: Buffer[] | null = req.readBody ? [] : null
    let abortRequest: ((err: Error) => void) | null = null
    let cancelled = false
    onStart?.({ abort() { cancelled = true; abortRequest?.(abortError()) } })
    const fail = (e: unknown) => {
      const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string } }
      resolve({ code: errorCode(err), message: String(err.message ?? e), ms: performance.now() - startedAt })
    }
    try {
      // undici's legacy handler shape: it is what Client speaks natively, so no adapter runs per
      // response and headers stay raw until a capture asks for them
      const handler = {
        onConnect(abort: (err: Error) => void) { abortRequest = abort; if (cancelled) abort(abortError()) },
        onHeaders(statusCode: number, raw: Buffer[]) {
          status = statusCode; rawHeaders = raw
          if (req.readSession) sessionHeaders(raw, session)
          return true
        },
        onData(chunk: Buffer) { bytes += chunk.length; chunks?.push(chunk); return true },
        onComplete() {
          const text = chunks ? Buffer.concat(chunks).toString('utf8') : null
          if (req.readHeaders && rawHeaders) headers = parseRawHeaders(rawHeaders)
          resolve({ status, headers, text, bytes, ms: performance.now() - startedAt, setCookie: session.setCookie, location: session.location })
        },
        onError(e: Error) { fail(e) },
      }
      client.dispatch({
        method: req.method as Dispatcher.HttpMethod,
        path: req.path,
        headers: req.headers,
        body: req.body,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      }, handler as unknown as Dispatcher.DispatchHandler)
    } catch (e) {
      fail(e)
    }
  })
}

/** raw [name, value, ...] buffers → lower-case names; repeated names become lists */
function parseRawHeaders(raw: Buffer[]): Exchange['headers'] {
  const out: Record<string, string | string[]> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!.toString('latin1').toLowerCase()
    const v = raw[i + 1]!.toString('latin1')
    const have = out[k]
    out[k] = have === undefined ? v : Array.isArray(have) ? [...have, v] : [have, v]
  }
  return out
}

/** Picks Set-Cookie and Location out of raw headers without decoding the others. */
function sessionHeaders(raw: Buffer[], out: { setCookie: string[] | null; location: string | null }): void {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!
    const c = k[0]! | 0x20 // lower-case first byte: most names are ruled out without a string
    if (c !== 0x73 && c !== 0x6c) continue
    if (k.length === 10 && k.toString('latin1').toLowerCase() === 'set-cookie') (out.setCookie ??= []).push(raw[i + 1]!.toString('latin1'))
    else if (k.length === 8 && k.toString('latin1').toLowerCase() === 'location') out.location = raw[i + 1]!.toString('latin1')
  }
}

function abortError(): Error {
  return Object.assign(new Error('request aborted: the user was stopped'), { code: 'UND_ERR_ABORTED' })
}

function errorCode(err: { code?: string; name?: string; cause?: { code?: string } }): string {
  const code = err.code ?? err.cause?.code ?? err.name ?? 'ERROR'
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'TIMEOUT'
  if (code === 'UND_ERR_SOCKET') return 'SOCKET_CLOSED'
  if (code === 'UND_ERR_ABORTED' || code === 'AbortError') return 'ABORTED'
  return code
}

export function isFailure(r: Exchange | TransportFailure): r is TransportFailure {
  return (r as TransportFailure).code !== undefined
}
