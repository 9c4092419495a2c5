// The ERP-like demo API: products, login issuing tokens, orders. Plain node:http, so it is
// fast enough that a load test measures the engine's target, not a framework.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { Store } from './store.js'
import { FRONT_ASSETS, FRONT_PAGE, STATIC_CACHE_CONTROL } from './front-page.js'
import { formLogin } from './form-login.js'

/** Who holds a login token: in memory for the demo, Redis for the staging stack's two instances. */
export interface Sessions {
  issue(userId: number): Promise<string>
  userOf(token: string): Promise<number | undefined>
}

/** Lockout after repeated failed logins (staging only; the demo has none). */
export interface LoginGuard {
  /** seconds the user must still wait, 0 when not locked */
  lockedFor(username: string): Promise<number>
  failed(username: string): Promise<void>
  succeeded(username: string): Promise<void>
}

export interface AppOptions {
  store: Store
  name?: string
  sessions?: Sessions
  loginGuard?: LoginGuard
}

export function memorySessions(): Sessions {
  const tokens = new Map<string, number>()
  return {
    async issue(userId) {
      const t = randomBytes(16).toString('hex')
      tokens.set(t, userId)
      return t
    },
    async userOf(token) {
      return tokens.get(token)
    },
  }
}

export function createApp({ store, name = 'golive demo ERP', sessions = memorySessions(), loginGuard }: AppOptions) {
  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
    res.end(text)
  }
  const loginPages = formLogin({ store, sessions, loginGuard, name })
  const userOf = async (req: IncomingMessage): Promise<number | undefined> => {
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')
    return m ? sessions.userOf(m[1]!) : undefined
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://app')
    const path = url.pathname
    const method = req.method ?? 'GET'
    try {
      if (method === 'GET' && path === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        return void res.end(FRONT_PAGE(name))
      }
      // browsers ask for it on every first visit: a 404 would be a console error on the page-load check
      if (method === 'GET' && path === '/favicon.ico') {
        res.writeHead(204, { 'cache-control': 'max-age=86400' })
        return void res.end()
      }
      const asset = method === 'GET' ? FRONT_ASSETS[path] : undefined
      if (asset) {
        res.writeHead(200, { 'content-type': asset.type, 'content-length': Buffer.byteLength(asset.body), 'cache-control': STATIC_CACHE_CONTROL })
        return void res.end(asset.body)
      }
      if ((path === '/login' || path === '/account') && (await loginPages(req, res, method, path))) return
      if (method === 'GET' && path === '/health') return send(res, 200, { status: 'ok' })
      if (method === 'GET' && path === '/api/products') {
        const limit = clamp(Number(url.searchParams.get('limit') ?? 20), 1, 100)
        const offset = clamp(Number(url.searchParams.get('offset') ?? 0), 0, 1e9)
        return send(res, 200, await store.listProducts(limit, offset))
      }
      let m = /^\/api\/products\/(\d+)$/.exec(path)
      if (method === 'GET' && m) {
        const p = await store.getProduct(Number(m[1]))
        return p ? send(res, 200, p) : send(res, 404, { error: 'no such product' })
      }
      if (method === 'POST' && path === '/api/login') {
        const body = await readJson(req)
        const username = typeof body?.username === 'string' ? body.username : undefined
        const wait = username && loginGuard ? await loginGuard.lockedFor(username) : 0
        if (wait > 0) {
          res.setHeader('retry-after', String(wait))
          return send(res, 423, { error: `account locked after repeated failed logins; retry in ${wait} s` })
        }
        const user = username ? await store.findUser(username) : undefined
        if (!user || user.password !== body?.password) {
          if (username) await loginGuard?.failed(username)
          return send(res, 401, { error: 'invalid credentials' })
        }
        await loginGuard?.succeeded(user.username)
        const token = await sessions.issue(user.id)
        return send(res, 200, { token, user: { id: user.id, username: user.username } })
      }
      if (method === 'POST' && path === '/api/orders') {
        const userId = await userOf(req)
        if (userId === undefined) return send(res, 401, { error: 'login required' })
        const body = await readJson(req)
        const items = Array.isArray(body?.items) ? body.items : null
        if (
          !items ||
          items.length === 0 ||
          !items.every(
            (i: { productId?: unknown; quantity?: unknown }) => Number.isInteger(i?.productId) && Number.isInteger(i?.quantity) && (i.quantity as number) > 0,
          )
        ) {
          return send(res, 400, { error: 'items must be a non-empty list of { productId, quantity }' })
        }
        const order = await store.createOrder(userId, items)
        return 'error' in order ? send(res, 409, order) : send(res, 201, order)
      }
      m = /^\/api\/orders\/(\d+)$/.exec(path)
      if (method === 'GET' && m) {
        const userId = await userOf(req)
        if (userId === undefined) return send(res, 401, { error: 'login required' })
        const order = await store.getOrder(Number(m[1]))
        return order && order.userId === userId ? send(res, 200, order) : send(res, 404, { error: 'no such order' })
      }
      send(res, 404, { error: `no route for ${method} ${path}` })
    } catch (e) {
      if (e instanceof BadRequest) return send(res, 400, { error: e.message })
      send(res, 500, { error: 'internal error' })
    }
  }
}

class BadRequest extends Error {}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > 1_000_000) throw new BadRequest('body too large')
    chunks.push(c as Buffer)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new BadRequest('body is not valid JSON')
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.floor(n))) : lo
}
