// Two small targets for `golive init`: a bare one (a text page at /, 404 elsewhere) and an API
// with /health, /metrics, an OpenAPI document and a login page. Each records the methods it saw,
// so a test can assert that the probe only read.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface InitServer { url: string; methods: Set<string>; paths: string[]; close(): Promise<void> }

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

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<InitServer> {
  const methods = new Set<string>()
  const paths: string[] = []
  const server = createServer((req, res) => {
    methods.add(req.method ?? '')
    paths.push(req.url ?? '')
    handler(req, res)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`, methods, paths,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()) }),
  }
}

export function startBareServer(): Promise<InitServer> {
  return serve((req, res) => {
    if (req.url === '/') { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('hello\n'); return }
    res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found\n')
  })
}

export function startApiServer(): Promise<InitServer> {
  return serve((req, res) => {
    const json = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)) }
    const url = req.url ?? '/'
    if (url === '/') { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!doctype html><a href="/login">Log in</a> <a href="/api/status">status</a>'); return }
    if (url === '/login') { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<form method=post><input name=user><input type="password" name=pw></form>'); return }
    if (url === '/health') return json(200, { status: 'ok' })
    if (url === '/metrics') { res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }); res.end('# HELP up 1 when up\n# TYPE up gauge\nup 1\n'); return }
    if (url === '/openapi.json') return json(200, OPENAPI)
    if (url === '/api/items' && req.method === 'GET') return json(200, [{ id: 1 }])
    if (url === '/api/status') return json(200, { ok: true })
    json(404, { error: 'not found' })
  })
}
