// A server that counts what a journey scenario did, for the flow tests: once-per-run before/after
// calls, per-user setup/teardown calls (each token it issued and each it saw torn down), the
// journeys' requests, two group steps with latencies the test sets, and the values it served for
// custom metrics. Requests with an unknown run id or token are refused (400/401), so captures that
// did not reach a user show as errors.

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface JourneyCounts {
  before: number
  after: number
  setup: number
  teardown: number
  a: number
  g1: number
  g2: number
  /** tokens issued by /setup, and torn down by /teardown */
  issued: string[]
  tornDown: string[]
  /** values served: /g2's total (a trend), /a's n (a counter) and ok (a rate) */
  totals: number[]
  nSum: number
  okCount: number
  refused: number
}

export async function startJourneyServer(opts: { g1Ms: number; g2Ms: number }) {
  const c: JourneyCounts = {
    before: 0,
    after: 0,
    setup: 0,
    teardown: 0,
    a: 0,
    g1: 0,
    g2: 0,
    issued: [],
    tornDown: [],
    totals: [],
    nSum: 0,
    okCount: 0,
    refused: 0,
  }
  let runId = ''
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const q = (k: string) => url.searchParams.get(k) ?? ''
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    const refuse = (status: number, why: string) => {
      c.refused++
      send(status, { error: why })
    }
    req.resume()
    req.on('end', () => {
      switch (url.pathname) {
        case '/before':
          c.before++
          runId = `run-${c.before}-${Date.now()}`
          return send(200, { runId })
        case '/after':
          if (q('run') !== runId) return refuse(400, 'unknown run')
          c.after++
          return send(200, {})
        case '/setup': {
          if (q('run') !== runId) return refuse(400, 'unknown run')
          c.setup++
          const token = `t${q('vu')}-${c.setup}`
          c.issued.push(token)
          return send(200, { token })
        }
        case '/teardown':
          if (!c.issued.includes(q('token'))) return refuse(401, 'unknown token')
          c.teardown++
          c.tornDown.push(q('token'))
          return send(200, {})
        case '/a': {
          if (!c.issued.includes(q('token')) || q('run') !== runId) return refuse(401, 'unknown token or run')
          c.a++
          const n = (c.a % 3) + 1,
            ok = c.a % 4 !== 0
          c.nSum += n
          if (ok) c.okCount++
          return send(200, { n, ok })
        }
        case '/g1':
          c.g1++
          return void setTimeout(() => send(200, {}), opts.g1Ms)
        case '/g2': {
          c.g2++
          // totals spread over 10.5 .. 1000: a trend whose percentiles the test recomputes
          const total = 10.5 + ((c.g2 * 37) % 100) * 10
          c.totals.push(total)
          return void setTimeout(() => send(200, { total }), opts.g2Ms)
        }
        default:
          return refuse(404, 'no route')
      }
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts: c,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}
