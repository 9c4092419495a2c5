// One HTTP exchange for a virtual user, over its own keep-alive connection (undici Client),
// timed from the send (or the intended send time) to the last body byte.

import { Client } from 'undici'

export interface Exchange {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** the body text, only when the step reads it */
  text: string | null
  bytes: number
  ms: number
}

export interface TransportFailure { code: string; message: string; ms: number }

export interface Target { origin: string; basePath: string; ca?: string; headers: [string, string][] }

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

export async function exchange(
  client: Client,
  req: { method: string; path: string; headers: Record<string, string>; body: string | null; timeoutMs: number; readBody: boolean },
  startedAt: number,
  signal: AbortSignal,
): Promise<Exchange | TransportFailure> {
  try {
    const res = await client.request({
      method: req.method as 'GET',
      path: req.path,
      headers: req.headers,
      body: req.body,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
      signal,
    })
    let bytes = 0
    let text: string | null = null
    if (req.readBody) {
      const chunks: Buffer[] = []
      for await (const chunk of res.body) { chunks.push(chunk as Buffer); bytes += (chunk as Buffer).length }
      text = Buffer.concat(chunks).toString('utf8')
    } else {
      for await (const chunk of res.body) bytes += (chunk as Buffer).length
    }
    return { status: res.statusCode, headers: res.headers, text, bytes, ms: performance.now() - startedAt }
  } catch (e) {
    const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string } }
    return { code: errorCode(err), message: String(err.message ?? e), ms: performance.now() - startedAt }
  }
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
