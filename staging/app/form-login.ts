// A server-rendered login, the kind of application most of golive's users run (Rails, Django,
// Flask): GET /login renders a form whose hidden input carries a CSRF token that is also set as a
// cookie (double-submit: stateless, so the staging stack's two instances agree); POST /login
// (x-www-form-urlencoded) checks both and the credentials, sets an HttpOnly session cookie and
// redirects 303 to /account, which greets the user only while that session is valid.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { LoginGuard, Sessions } from './app.js'
import type { Store } from './store.js'

export const CSRF_COOKIE = 'golive_csrf'
export const SESSION_COOKIE = 'golive_session'
const MAX_FORM_BYTES = 16 * 1024

export interface FormLoginOptions {
  store: Store
  sessions: Sessions
  loginGuard?: LoginGuard
  name: string
}

/** Handles /login and /account; returns false for any other route. */
export function formLogin({ store, sessions, loginGuard, name }: FormLoginOptions) {
  return async function handle(req: IncomingMessage, res: ServerResponse, method: string, path: string): Promise<boolean> {
    if (path === '/login' && method === 'GET') {
      loginPage(res, name, 200, '')
      return true
    }
    if (path === '/login' && method === 'POST') {
      if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
        html(res, 415, page(name, 'Unsupported form', '<p>Send the form as application/x-www-form-urlencoded.</p>'))
        return true
      }
      const form = await readForm(req)
      const cookie = cookies(req)[CSRF_COOKIE]
      const token = form.get('csrf') ?? ''
      if (!cookie || !sameToken(cookie, token)) {
        html(res, 403, page(name, 'Forbidden', '<p>CSRF check failed: the form token does not match the cookie. Load the login page again.</p>'))
        return true
      }
      const username = form.get('username') ?? ''
      const wait = username && loginGuard ? await loginGuard.lockedFor(username) : 0
      if (wait > 0) {
        res.setHeader('retry-after', String(wait))
        loginPage(res, name, 423, `Account locked after repeated failed logins; retry in ${wait} s.`)
        return true
      }
      const user = username ? await store.findUser(username) : undefined
      if (!user || user.password !== form.get('password')) {
        if (username) await loginGuard?.failed(username)
        loginPage(res, name, 401, 'Wrong username or password.')
        return true
      }
      await loginGuard?.succeeded(user.username)
      const session = await sessions.issue(user.id)
      res.writeHead(303, {
        location: '/account',
        'set-cookie': [`${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax`, `${CSRF_COOKIE}=; Path=/login; HttpOnly; SameSite=Lax; Max-Age=0`],
        'content-length': 0,
      })
      res.end()
      return true
    }
    if (path === '/account' && method === 'GET') {
      const sid = cookies(req)[SESSION_COOKIE]
      const userId = sid ? await sessions.userOf(sid) : undefined
      const user = userId === undefined ? undefined : await store.findUserById(userId)
      if (!user) {
        res.writeHead(302, { location: '/login', 'content-length': 0 })
        res.end()
        return true
      }
      html(res, 200, page(name, 'Your account', `<p>Signed in as ${escapeHtml(user.username)}</p>`))
      return true
    }
    return false
  }
}

function loginPage(res: ServerResponse, name: string, status: number, message: string): void {
  const token = randomBytes(24).toString('base64url')
  res.setHeader('set-cookie', `${CSRF_COOKIE}=${token}; Path=/login; HttpOnly; SameSite=Lax`)
  // no-store: a cached page would carry a token whose cookie another visitor holds
  res.setHeader('cache-control', 'no-store')
  html(
    res,
    status,
    page(
      name,
      'Sign in',
      `${message ? `<p class="error">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/login">
  <input type="hidden" name="csrf" value="${token}">
  <label>Username <input name="username" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>`,
    ),
  )
}

function page(name: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · ${escapeHtml(name)}</title></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`
}

function html(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a),
    y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The request's cookies by name (first wins, as servers usually read them). */
export function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    const k = part.slice(0, eq).trim()
    if (k && !(k in out)) out[k] = part.slice(eq + 1).trim()
  }
  return out
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > MAX_FORM_BYTES) break
    chunks.push(c as Buffer)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
