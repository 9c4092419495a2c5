// The live dashboard's server (--dashboard [PORT]): on 127.0.0.1 only, the page at / and the
// run's live events at /events (Server-Sent Events). A page that connects late is sent every
// event so far first, so its charts start at second 0. When the run ends, the verdict and the
// scorecard go to every open page; the server then closes once they are sent (at most
// LINGER_MS later), or, with --dashboard-keep, stays until Ctrl-C.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { UsageError } from '../../core/errors.js'
import type { LiveEvent } from '../../core/live.js'
import { redactDeep } from '../../core/redact.js'

const LINGER_MS = 3000
/** events kept for pages that connect late: a day of seconds of a few scenarios */
const MAX_HISTORY = 400_000
const HEARTBEAT_MS = 15_000

export interface Dashboard {
  url: string
  publish(e: LiveEvent): void
  /** after run-end: send it, then close (or wait for a signal with keep) */
  close(keep: boolean, log: (line: string) => void): Promise<void>
}

export async function startDashboard(port: number, page: { html: string; csp: string }): Promise<Dashboard> {
  const history: string[] = []
  const clients = new Set<ServerResponse>()
  let actualPort = port
  const allowedHosts = () => new Set([`127.0.0.1:${actualPort}`, `localhost:${actualPort}`])

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // a page elsewhere that rebinds its DNS name to 127.0.0.1 would send its own Host: refused
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(403).end('forbidden\n')
      return
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end()
      return
    }
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/') {
      res
        .writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': page.csp,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
        })
        .end(page.html)
      return
    }
    if (path === '/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-content-type-options': 'nosniff',
      })
      res.write(': golive live events\n\n')
      for (const frame of history) res.write(frame)
      clients.add(res)
      req.on('close', () => clients.delete(res))
      return
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new UsageError(`--dashboard ${port}: port ${port} on 127.0.0.1 is in use`, 'choose another port, or give --dashboard alone (a free port is chosen)')
          : new UsageError(
              `--dashboard ${port}: cannot listen on 127.0.0.1:${port} (${e.code ?? e.message})`,
              'choose another port, or give --dashboard alone',
            ),
      ),
    )
    server.listen(port, '127.0.0.1', () => resolve())
  })
  actualPort = (server.address() as AddressInfo).port
  const heartbeat = setInterval(() => {
    for (const c of clients) c.write(': alive\n\n')
  }, HEARTBEAT_MS)
  heartbeat.unref()

  const publish = (e: LiveEvent) => {
    const frame = `event: ${e.type}\ndata: ${JSON.stringify(redactDeep(e))}\n\n`
    if (history.length < MAX_HISTORY || e.type !== 'second') history.push(frame)
    for (const c of clients) c.write(frame)
  }

  return {
    url: `http://127.0.0.1:${actualPort}/`,
    publish,
    async close(keep, log) {
      if (keep) {
        log(`dashboard: still open at http://127.0.0.1:${actualPort}/ (Ctrl-C to quit)`)
        await new Promise<void>((resolve) => {
          const done = () => {
            for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, done)
            resolve()
          }
          for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, done)
        })
      }
      // every open page has the final events in its socket, or LINGER_MS passed
      const until = Date.now() + LINGER_MS
      while (Date.now() < until && [...clients].some((c) => c.writableLength > 0)) await new Promise((r) => setTimeout(r, 50))
      clearInterval(heartbeat)
      for (const c of clients) c.end()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
