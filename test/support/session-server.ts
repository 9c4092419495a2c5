// A truth server for sessions: cookies set by rules the test knows, redirect chains, a counter
// cookie, and a record of every request each listener received (method, path, headers, body),
// so a test asserts what each engine actually sent. Listens on 127.0.0.1 and 127.0.0.2 (one port).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Seen {
  host: string
  method: string
  path: string
  body: string
  headers: Record<string, string | undefined>
}

const GONE = 'Thu, 01 Jan 1970 00:00:00 GMT'

export interface SessionServer {
  port: number
  url: string
  /** the second listener's origin (another host, same port) */
  other: string
  seen: Seen[]
  close(): Promise<void>
}

export async function startSessionServer(): Promise<SessionServer> {
  const seen: Seen[] = []
  let port = 0
  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const host = req.socket.localAddress ?? '?'
    const path = req.url ?? '/'
    seen.push({ host, method: req.method ?? '?', path, body, headers: { ...req.headers } as Record<string, string | undefined> })
    const redirect = (status: number, location: string, cookies: string[] = []) => {
      res.writeHead(status, { location, 'set-cookie': cookies, 'content-length': '0' }).end()
    }
    const ok = (text = 'ok', cookies: string[] = []) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': cookies }).end(text)
    }
    const p = path.replace(/\?.*$/, '')
    const future = new Date(Date.now() + 3_600_000).toUTCString()
    switch (p) {
      case '/c/set':
        return ok('set', [
          'host=1',
          'root=1; Path=/',
          'pa=1; Path=/c/a',
          'sec=1; Path=/; Secure',
          'ho=h1; Path=/; HttpOnly',
          'gone=1; Path=/',
          'gone2=1; Path=/',
          `exp=1; Path=/; Expires=${future}`,
          `old=1; Path=/; Expires=${GONE}`,
          'ma=1; Path=/; Max-Age=3600',
          'ma0=1; Path=/; Max-Age=0',
          'foreign=1; Path=/; Domain=example.com',
          'dom=1; Path=/; Domain=127.0.0.1',
        ])
      case '/c/del':
        return ok('del', ['gone=; Path=/; Max-Age=0', `gone2=x; Path=/; Expires=${GONE}`])
      case '/n': {
        const n = Number(/(?:^|; )n=(\d+)/.exec(req.headers.cookie ?? '')?.[1] ?? 0)
        return ok(String(n), [`n=${n + 1}; Path=/`])
      }
      case '/r/307':
        return redirect(307, '/r/308')
      case '/r/308':
        return redirect(308, '303') // relative to /r/308
      case '/r/303':
        return redirect(303, `http://127.0.0.1:${port}/r/302`)
      case '/r/302':
        return redirect(302, '/r/301')
      case '/r/301':
        return redirect(301, './end?x=1')
      case '/r/p301':
        return redirect(301, '/r/end')
      case '/r/p302':
        return redirect(302, '/r/end')
      case '/r/loop':
        return redirect(302, '/r/loop')
      case '/r/set-hop':
        return redirect(302, '/r/end', ['hop=1; Path=/'])
      case '/r/cross':
        return redirect(302, `http://127.0.0.2:${port}/r/end`)
      case '/r/away':
        return redirect(302, `http://127.0.0.3:${port}/r/end`)
      default:
        return ok()
    }
  }
  const make = () =>
    createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('latin1')))
    })
  const a: Server = make(),
    b: Server = make()
  await new Promise<void>((r) => a.listen(0, '127.0.0.1', r))
  port = (a.address() as AddressInfo).port
  await new Promise<void>((r, j) => {
    b.once('error', j)
    b.listen(port, '127.0.0.2', r)
  })
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    other: `http://127.0.0.2:${port}`,
    seen,
    async close() {
      for (const s of [a, b]) {
        s.closeAllConnections()
        await new Promise((r) => s.close(r))
      }
    },
  }
}

/** a Cookie header as a sorted list of name=value pairs */
export function cookieList(header: string | undefined): string[] {
  return (header ?? '').split(/;\s*/).filter(Boolean).sort()
}
