// The lean HTTP/1.1 path (scenarios/engines/embedded/lean-client.ts) and undici give the same
// figures against the same servers: a latency truth server, and one answering every framing a
// lean parser must get right (chunks with extensions and trailers, a body ended by the
// connection, Connection: close, gzip, HEAD, 204, a cookie set on a redirect). And a server whose
// keep-alive timeout ends the connection between a user's requests, mid-run: no request fails.
// Every other embedded-engine test against an http: target runs on the lean path too.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { mkdtempSync, rmSync } from 'node:fs'
import { createSecureServer } from 'node:http2'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compileScenario } from '../../scenarios/compile.js'
import { EmbeddedRun } from '../../scenarios/engines/embedded/run.js'
import type { Scenario } from '../../scenarios/dsl.js'
import type { ScenarioResult } from '../../core/results.js'
import { startLatencyServer } from '../support/latency-server.js'
import { selfSignedLoopback } from '../support/self-signed.js'

type Client = 'lean' | 'undici'

async function run(url: string, s: Scenario, client: Client): Promise<ScenarioResult> {
  const u = new URL(url)
  const before = process.env.GOLIVE_HTTP_CLIENT
  // read when each user opens its connections: in the main thread and in the workers it starts
  if (client === 'undici') process.env.GOLIVE_HTTP_CLIENT = 'undici'
  else delete process.env.GOLIVE_HTTP_CLIENT
  try {
    return await new EmbeddedRun(compileScenario(s, { file: 'test' }), { target: { origin: u.origin, basePath: '', headers: [] }, workers: 1 }).run()
  } finally {
    if (before === undefined) delete process.env.GOLIVE_HTTP_CLIENT
    else process.env.GOLIVE_HTTP_CLIENT = before
  }
}

const listen = (server: Server) =>
  new Promise<string>((done) => server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)))
const close = (server: Server) =>
  new Promise<void>((done) => {
    server.closeAllConnections()
    server.close(() => done())
  })

test('lean and undici: the same percentiles against the latency truth server, both near what it served', async () => {
  const server = await startLatencyServer([
    { ms: 5, share: 80 },
    { ms: 40, share: 17 },
    { ms: 120, share: 3 },
  ])
  try {
    const out: Record<Client, ScenarioResult> = {} as Record<Client, ScenarioResult>
    for (const client of ['lean', 'undici'] as const) {
      const servedBefore = server.served()
      const r = await run(server.url, { name: 'truth', profile: { model: 'closed', vus: 10, duration: '3s' }, steps: [{ name: 'get', path: '/' }] }, client)
      assert.equal(r.status, 'measured')
      assert.equal(r.errors, 0, `${client}: ${JSON.stringify(r.topErrors)}`)
      assert.equal(r.requests, server.served() - servedBefore, `${client}: every request the server answered is counted once`)
      out[client] = r
    }
    const truth = server.truth()!
    for (const client of ['lean', 'undici'] as const) {
      const l = out[client].latency!
      for (const p of ['p50', 'p95', 'p99'] as const) {
        assert.ok(l[p] >= truth[p] - 1 && l[p] <= truth[p] * 1.1 + 10, `${client} ${p}: ${l[p]} ms vs served ${truth[p]} ms`)
      }
    }
    const [a, b] = [out.lean.latency!.p95, out.undici.latency!.p95]
    assert.ok(Math.max(a, b) / Math.min(a, b) <= 1.1, `p95 lean ${a} ms vs undici ${b} ms`)
  } finally {
    await server.close()
  }
})

/** every framing the parser must read, each checked by its step */
/** A server with a keep-alive timeout of 50 ms, shorter than the think time: every connection it
 *  is left idle on, it ends (kept by hand: Node's own keepAliveTimeout adds a second of slack). */
function idleEndingServer(body: (url: string | undefined) => string): Server {
  const idle = new WeakMap<object, number>()
  return createServer((req, res) => {
    const n = (idle.get(req.socket) ?? 0) + 1
    idle.set(req.socket, n)
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(body(req.url), () =>
        setTimeout(() => {
          if (idle.get(req.socket) === n) req.socket.end()
        }, 50),
      )
    })
  })
}

function framingServer(): Server {
  const big = 'x'.repeat(70_000) // over one socket read, and over 64 KiB
  return createServer((req, res) => {
    const path = req.url!.split('?')[0]
    if (path === '/chunked') {
      // written raw: chunk extensions and a trailer, which Node's own writer never sends
      const socket = res.socket!
      res.detachSocket(socket)
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n')
      socket.write('5;ext=1\r\nhello\r\n')
      setTimeout(() => {
        socket.write(`${(7 + big.length).toString(16)}\r\n needle${big}\r\n`)
        socket.write('0\r\nx-trailer: done\r\n\r\n')
      }, 5)
      return
    }
    if (path === '/until-close') {
      // no length, no chunks: the body is what comes before the connection ends
      const socket = res.socket!
      res.detachSocket(socket)
      socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nthe body ends with the connection: needle')
      return
    }
    if (path === '/close') {
      res.writeHead(200, { connection: 'close', 'content-type': 'text/plain' })
      return void res.end('closing after this: needle')
    }
    if (path === '/gzip') {
      const body = gzipSync(JSON.stringify({ ok: true, word: 'needle' }))
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length })
      return void res.end(body)
    }
    if (path === '/head') {
      res.writeHead(200, { 'content-length': '12345' })
      return void res.end(req.method === 'HEAD' ? undefined : 'x'.repeat(12345))
    }
    if (path === '/empty') {
      res.writeHead(204)
      return void res.end()
    }
    if (path === '/login') {
      res.writeHead(302, { location: '/home', 'set-cookie': 'sid=s3cr3t; Path=/; HttpOnly' })
      return void res.end()
    }
    if (path === '/home') {
      res.writeHead(req.headers.cookie === 'sid=s3cr3t' ? 200 : 401)
      return void res.end(`cookie: ${req.headers.cookie ?? 'none'}`)
    }
    if (path === '/echo') {
      let n = 0
      req.on('data', (d: Buffer) => {
        n += d.length
      })
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ bytes: n }))
      })
      return
    }
    res.writeHead(404)
    res.end()
  })
}

const FRAMING: Scenario = {
  name: 'framing',
  profile: { model: 'closed', vus: 2, duration: '20s', iterations: 30 },
  steps: [
    { name: 'chunked', path: '/chunked', check: { status: 200, bodyContains: 'needle' } },
    { name: 'until-close', path: '/until-close', check: { status: 200, bodyContains: 'needle' } },
    { name: 'close', path: '/close', check: { status: 200, bodyContains: 'needle' } },
    { name: 'gzip', path: '/gzip', check: { status: 200, json: { '$.word': 'needle' } } },
    { name: 'head', method: 'HEAD', path: '/head', check: { status: 200 } },
    { name: 'empty', path: '/empty', check: { status: 204 } },
    { name: 'login', path: '/login', check: { status: 200, bodyContains: 'cookie: sid=s3cr3t' } },
    { name: 'echo', method: 'POST', path: '/echo', json: { text: 'é'.repeat(1000) }, check: { status: 200, json: { '$.bytes': 2011 } } },
  ],
}

test('lean and undici: every framing read alike, each step checked, the same requests and bytes per step', async () => {
  const server = framingServer()
  const url = await listen(server)
  try {
    const out: Partial<Record<Client, ScenarioResult>> = {}
    for (const client of ['lean', 'undici'] as const) {
      const r = await run(url, FRAMING, client)
      assert.equal(r.errors, 0, `${client}: ${JSON.stringify(r.topErrors)}`)
      assert.equal(r.iterations, 30)
      for (const st of r.steps) assert.equal(st.checks.failed, 0, `${client} ${st.name}: ${JSON.stringify(st)}`)
      out[client] = r
    }
    const perStep = (r: ScenarioResult) => r.steps.map((st) => [st.name, st.requests, st.bytes])
    assert.deepEqual(perStep(out.lean!), perStep(out.undici!))
  } finally {
    await close(server)
  }
})

test('lean: a keep-alive timeout that ends connections between requests, mid-run, fails none; a new connection each time', async () => {
  let connections = 0
  const server = idleEndingServer(() => 'ok')
  server.on('connection', () => {
    connections++
  })
  const url = await listen(server)
  try {
    const r = await run(
      url,
      {
        name: 'ka',
        profile: { model: 'closed', vus: 2, duration: '20s', iterations: 20 },
        thinkTime: '100ms',
        steps: [
          { name: 'a', path: '/a' },
          { name: 'b', method: 'POST', path: '/b', body: 'x' },
        ],
      },
      'lean',
    )
    assert.equal(r.errors, 0, JSON.stringify(r.topErrors))
    assert.equal(r.requests, 40)
    assert.ok(connections >= 30, `the server closed idle connections and the users opened new ones: ${connections} connections`)
  } finally {
    await close(server)
  }
})

test('lean: a server closing a kept-alive connection as the next request goes out: the GET is sent again, never an error', async () => {
  // the server answers, then closes the connection after a delay that lands near the next send
  let connections = 0
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-length': '2' })
    res.end('ok', () => {
      setTimeout(() => req.socket.destroy(), 1 + (connections % 3))
    })
  })
  server.on('connection', () => {
    connections++
  })
  const url = await listen(server)
  try {
    const r = await run(
      url,
      { name: 'race', profile: { model: 'closed', vus: 2, duration: '20s', iterations: 200 }, thinkTime: '2ms', steps: [{ name: 'get', path: '/' }] },
      'lean',
    )
    assert.equal(r.errors, 0, JSON.stringify(r.topErrors))
    assert.equal(r.requests, 200)
  } finally {
    await close(server)
  }
})

test('lean and undici: a keep-alive timeout that ends connections mid-run: the same requests, errors and bytes per step, none failed', async () => {
  // the same server as above (idle connections ended after 50 ms), both clients in turn
  const server = idleEndingServer((url) => `ok ${url}`)
  const url = await listen(server)
  try {
    const out: Partial<Record<Client, ScenarioResult>> = {}
    for (const client of ['lean', 'undici'] as const) {
      const r = await run(
        url,
        {
          name: 'ka',
          profile: { model: 'closed', vus: 2, duration: '20s', iterations: 12 },
          thinkTime: '100ms',
          steps: [
            { name: 'a', path: '/a', check: { status: 200, bodyContains: 'ok /a' } },
            { name: 'b', method: 'POST', path: '/b', body: 'x', check: { status: 200 } },
          ],
        },
        client,
      )
      assert.equal(r.errors, 0, `${client}: ${JSON.stringify(r.topErrors)}`)
      assert.equal(r.requests, 24, client)
      out[client] = r
    }
    const perStep = (r: ScenarioResult) => r.steps.map((st) => [st.name, st.requests, st.errors, st.bytes, st.checks.passed, st.checks.failed])
    assert.deepEqual(perStep(out.lean!), perStep(out.undici!))
  } finally {
    await close(server)
  }
})

test('lean and undici: a request head written again only while nothing in it changed; templated paths and headers go out as rendered', async () => {
  // what the server received, per request: path, a templated header, a fixed one, the body
  const seen: string[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('latin1')
    req.on('data', (d: string) => {
      body += d
    })
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} n=${req.headers['x-n']} fixed=${req.headers['x-fixed']} body=${body}`)
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end('ok')
    })
  })
  const url = await listen(server)
  const scenario: Scenario = {
    name: 'heads',
    profile: { model: 'closed', vus: 1, duration: '20s', iterations: 4 },
    steps: [
      { name: 'same', path: '/same', headers: { 'x-fixed': 'f' } },
      { name: 'iter', path: '/iter/{{__ITER}}', headers: { 'x-n': 'n{{__ITER}}', 'x-fixed': 'f' } },
      { name: 'post', method: 'POST', path: '/post', headers: { 'x-n': '{{__ITER}}' }, body: 'b{{__ITER}}' },
    ],
  }
  const expected = [0, 1, 2, 3].flatMap((i) => [
    'GET /same n=undefined fixed=f body=',
    `GET /iter/${i} n=n${i} fixed=f body=`,
    `POST /post n=${i} fixed=undefined body=b${i}`,
  ])
  try {
    for (const client of ['lean', 'undici'] as const) {
      seen.length = 0
      const r = await run(url, scenario, client)
      assert.equal(r.errors, 0, `${client}: ${JSON.stringify(r.topErrors)}`)
      assert.deepEqual(seen, expected, client)
    }
  } finally {
    await close(server)
  }
})

test('lean and undici: a response head in any case and spacing: header captures, framing and Connection: close read alike', async () => {
  // written raw: names in odd case, values with white space before them, no space after a colon
  // (not after a value: undici keeps trailing white space in a value, the lean path drops it)
  let connections = 0
  const server = createServer((req, res) => {
    const socket = res.socket!
    res.detachSocket(socket)
    req.resume()
    const body = 'hello needle'
    socket.write(
      `HTTP/1.1 200 Fine\r\nX-Token:   tok-${req.url!.slice(1)}\r\nCONTENT-LENGTH:${body.length}\r\nCoNNection: Close\r\nContent-Type:\ttext/plain\r\n\r\n${body}`,
      () => socket.end(),
    )
  })
  server.on('connection', () => {
    connections++
  })
  const url = await listen(server)
  const scenario: Scenario = {
    name: 'raw',
    profile: { model: 'closed', vus: 1, duration: '20s', iterations: 5 },
    steps: [
      { name: 'one', path: '/1', check: { status: 200, bodyContains: 'needle' }, capture: { token: { header: 'x-token' } } },
      { name: 'two', path: '/{{token}}', check: { status: 200, bodyContains: 'needle' } },
    ],
  }
  try {
    const out: Partial<Record<Client, ScenarioResult>> = {}
    for (const client of ['lean', 'undici'] as const) {
      connections = 0
      const r = await run(url, scenario, client)
      assert.equal(r.errors, 0, `${client}: ${JSON.stringify(r.topErrors)}`)
      for (const st of r.steps) assert.equal(st.checks.failed, 0, `${client} ${st.name}`)
      // Connection: close read in its odd case: a new connection for every request
      assert.equal(connections, 10, client)
      out[client] = r
    }
    const perStep = (r: ScenarioResult) => r.steps.map((st) => [st.name, st.requests, st.bytes, st.checks.passed])
    assert.deepEqual(perStep(out.lean!), perStep(out.undici!))
  } finally {
    await close(server)
  }
})

test('an http: run redirected to an https: origin that speaks HTTP/2: undici, not loaded for the plain run, is loaded then and the hop answered over h2', async () => {
  // a self-signed certificate for 127.0.0.1 (the run trusts it as its CA)
  const dir = mkdtempSync(join(tmpdir(), 'golive-lean-h2-'))
  const cert = selfSignedLoopback(dir)
  const ca = cert.cert.toString('utf8')
  const secure = createSecureServer({ key: cert.key, cert: cert.cert, allowHTTP1: true }, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end(`over ${req.httpVersion}: needle`)
  })
  const securePort = await new Promise<number>((done) => secure.listen(0, '127.0.0.1', () => done((secure.address() as AddressInfo).port)))
  const secureOrigin = `https://127.0.0.1:${securePort}`
  const plain = createServer((_req, res) => {
    res.writeHead(302, { location: `${secureOrigin}/end` })
    res.end()
  })
  const url = await listen(plain)
  try {
    const plan = compileScenario(
      {
        name: 'to-h2',
        profile: { model: 'closed', vus: 2, duration: '20s', iterations: 6 },
        steps: [{ name: 'go', path: '/go', check: { status: 200, bodyContains: 'over 2.0: needle' } }],
      },
      { file: 'test' },
    )
    const r = await new EmbeddedRun(plan, { target: { origin: url, basePath: '', headers: [], ca, hosts: [secureOrigin] }, workers: 1 }).run()
    assert.equal(r.errors, 0, JSON.stringify(r.topErrors))
    assert.equal(r.iterations, 6)
    // each journey: the redirect over the lean path, the hop over HTTP/2
    assert.deepEqual(r.steps[0]!.protocols, { h2: 6, 'http/1.1': 6 })
  } finally {
    await close(plain)
    await new Promise<void>((done) => secure.close(() => done()))
    rmSync(dir, { recursive: true, force: true })
  }
})
