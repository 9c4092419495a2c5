// A loopback server whose limits the test sets, keyed on the client's source address:
// - POST /api/login: after `loginLimit` wrong passwords from one address, 423 for that address
//   (the right password included); user1 / golive-demo is the right credential;
// - any other route: a token bucket per address, `rpm` per minute with `burst` tokens; 429
//   when empty (nginx limit_req's behaviour with burst and nodelay).
// null turns a limit off.

import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface LimitServer {
  url: string
  loginAttempts: Map<string, number>
  requests: () => number
  close(): Promise<void>
}

export async function startLimitServer(o: { loginLimit: number | null; rpm: number | null; burst?: number; host?: string }): Promise<LimitServer> {
  const failures = new Map<string, number>()
  const loginAttempts = new Map<string, number>()
  const buckets = new Map<string, { tokens: number; at: number }>()
  const burst = o.burst ?? 5
  let requests = 0
  const server = createServer(async (req, res) => {
    requests++
    const who = req.socket.remoteAddress ?? '?'
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.method === 'POST' && req.url === '/api/login') {
      const body = await json(req)
      loginAttempts.set(who, (loginAttempts.get(who) ?? 0) + 1)
      if (o.loginLimit !== null && (failures.get(who) ?? 0) >= o.loginLimit) return send(423, { error: 'account locked for this client' })
      if (body?.username === 'user1' && body?.password === 'golive-demo') return send(200, { token: 'x' })
      failures.set(who, (failures.get(who) ?? 0) + 1)
      return send(401, { error: 'invalid credentials' })
    }
    if (req.method !== 'GET') return send(404, { error: 'no such route' })
    if (o.rpm !== null) {
      const now = performance.now()
      const b = buckets.get(who) ?? { tokens: burst, at: now }
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 60_000) * o.rpm)
      b.at = now
      buckets.set(who, b)
      if (b.tokens < 1) return send(429, { error: 'too many requests' })
      b.tokens -= 1
    }
    send(200, { ok: true })
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((done) => server.listen(0, o.host ?? '127.0.0.1', done))
  const { port, address } = server.address() as AddressInfo
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    loginAttempts,
    requests: () => requests,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}

async function json(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  let text = ''
  for await (const c of req) text += c
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
