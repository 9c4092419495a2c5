// One HTTP client of the drill: its own connections from its own source address, so the
// server sees it as a separate client. Every request has a timeout; nothing is retried.

import { setMaxListeners } from 'node:events'
import { Pool } from 'undici'

export interface Answer {
  status: number | null
  body: string
  error?: string
  ms: number
}

export interface DrillClient {
  send(method: string, path: string, opts?: { json?: unknown; headers?: Record<string, string> }): Promise<Answer>
  close(): Promise<void>
}

/** `ca`: PEM text of an extra CA to trust (ctx.target.ca) */
export function drillClient(
  origin: string,
  o: { localAddress?: string; ca?: string; headers: Record<string, string>; timeoutMs: number; connections: number; signal: AbortSignal },
): DrillClient {
  const pool = new Pool(origin, {
    connections: o.connections,
    ...(o.localAddress ? { localAddress: o.localAddress } : {}),
    ...(o.ca ? { connect: { ca: o.ca } } : {}),
    headersTimeout: o.timeoutMs,
    bodyTimeout: o.timeoutMs,
  })
  // one listener on the caller's signal, however many requests are in flight
  const inner = new AbortController()
  setMaxListeners(0, inner.signal)
  const stop = () => inner.abort()
  o.signal.addEventListener('abort', stop, { once: true })
  if (o.signal.aborted) inner.abort()
  return {
    async send(method, path, opts = {}) {
      const started = performance.now()
      const signal = AbortSignal.any([inner.signal, AbortSignal.timeout(o.timeoutMs)])
      try {
        const body = opts.json === undefined ? undefined : JSON.stringify(opts.json)
        const res = await pool.request({
          method: method as 'GET',
          path,
          signal,
          body,
          headers: { ...o.headers, ...opts.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        })
        const text = (await res.body.text()).slice(0, 2000)
        return { status: res.statusCode, body: text, ms: performance.now() - started }
      } catch (e) {
        const err = e as NodeJS.ErrnoException
        const code = err.name === 'TimeoutError' || err.code === 'UND_ERR_HEADERS_TIMEOUT' ? 'TIMEOUT' : (err.code ?? err.name ?? 'ERROR')
        return { status: null, body: '', error: code, ms: performance.now() - started }
      }
    },
    close: () => {
      o.signal.removeEventListener('abort', stop)
      return pool.destroy()
    },
  }
}
