// Two small targets for `golive init`: a bare one (a text page at /, 404 elsewhere) and an API
// with /health, /metrics, an OpenAPI document and a login page. Each records the methods it saw,
// so a test can assert that the probe only read.

import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

export interface InitServer {
  url: string
  methods: Set<string>
  paths: string[]
  close(): Promise<void>
}

const OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'Shop API', version: '1.0.0' },
  servers: [{ url: '/api' }],
  paths: {
    '/items': { get: { responses: { 200: { description: 'items' } } }, post: { responses: { 201: { description: 'made' } } } },
    '/items/{id}': { get: { responses: { 200: { description: 'one item' } } } },
    '/status': { get: { responses: { 200: { description: 'status' } } } },
    '/orders': { post: { responses: { 201: { description: 'made' } } } },
  },
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void

async function serve(handler: Handler, tls?: { key: string; cert: string }): Promise<InitServer> {
  const methods = new Set<string>()
  const paths: string[] = []
  const recording: Handler = (req, res) => {
    methods.add(req.method ?? '')
    paths.push(req.url ?? '')
    handler(req, res)
  }
  const server: Server = tls ? createHttpsServer(tls, recording) : createServer(recording)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    methods,
    paths,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

export function startBareServer(): Promise<InitServer> {
  return serve((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end('hello\n')
      return
    }
    res.writeHead(404, { 'content-type': 'text/plain' })
    res.end('not found\n')
  })
}

export function startApiServer(): Promise<InitServer> {
  return serve((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    const url = req.url ?? '/'
    if (url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<!doctype html><a href="/login">Log in</a> <a href="/api/status">status</a>')
      return
    }
    if (url === '/login') {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<form method=post><input name=user><input type="password" name=pw></form>')
      return
    }
    if (url === '/health') return json(200, { status: 'ok' })
    if (url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      res.end('# HELP up 1 when up\n# TYPE up gauge\nup 1\n')
      return
    }
    if (url === '/openapi.json') return json(200, OPENAPI)
    if (url === '/api/items' && req.method === 'GET') return json(200, [{ id: 1 }])
    if (url === '/api/status') return json(200, { ok: true })
    json(404, { error: 'not found' })
  })
}

/** A CA and a server certificate for 127.0.0.1 (openssl), written into dir as ca.pem, server.key, server.pem. */
export function makeCerts(dir: string): void {
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=golive init test CA',
  ])
  openssl([
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  ])
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n')
  openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  ])
}

/** https with HSTS: a front page linking to two pages (and a logout link and a stylesheet, not to be walked). */
export function startHttpsSite(certDir: string): Promise<InitServer> {
  const tls = { key: readFileSync(join(certDir, 'server.key'), 'utf8'), cert: readFileSync(join(certDir, 'server.pem'), 'utf8') }
  return serve((req, res) => {
    const page = (body: string) => {
      res.writeHead(200, { 'content-type': 'text/html', 'strict-transport-security': 'max-age=31536000' })
      res.end(body)
    }
    if (req.url === '/')
      return page(
        '<!doctype html><link rel=stylesheet href="/site.css"><a href="/about">About</a> <a href="/pricing?plan=pro">Pricing</a> ' +
          '<a href="/logout">Log out</a> <a href="https://elsewhere.example/">x</a>',
      )
    if (req.url === '/about' || req.url === '/pricing?plan=pro') return page('<p>page</p>')
    res.writeHead(404)
    res.end()
  }, tls)
}
