// A server whose latency distribution and error ratio the test sets, and which records what it
// actually served: the truth the engine's figures are checked against.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHistogram, recordMs, summarize } from '../../core/histogram.js'
import type { LatencySummary } from '../../core/results.js'

export interface Band {
  ms: number
  share: number
}

export interface LatencyServer {
  url: string
  served: () => number
  errors: () => number
  /** percentiles of the delays the server applied (measured server-side) */
  truth: () => LatencySummary | null
  setBands: (bands: Band[]) => void
  close: () => Promise<void>
}

/**
 * bands: e.g. [{ms: 10, share: 80}, {ms: 200, share: 17}, {ms: 1000, share: 3}] (shares of 100).
 * Request i gets the band of slot (i·37) mod 100, so slow answers are spread evenly, not bunched.
 * errorEvery: every Nth response is a 503.
 */
export async function startLatencyServer(bands: Band[], errorEvery = 0): Promise<LatencyServer> {
  let table = slots(bands)
  let n = 0
  let errors = 0
  const hist = createHistogram()
  const server: Server = createServer((req, res) => {
    const i = n++
    const delay = table[(i * 37) % 100]!
    const start = performance.now()
    req.resume()
    setTimeout(() => {
      const fail = errorEvery > 0 && i % errorEvery === errorEvery - 1
      if (fail) errors++
      res.writeHead(fail ? 503 : 200, { 'content-type': 'text/plain' })
      res.end(fail ? 'unavailable' : 'ok')
      recordMs(hist, performance.now() - start)
    }, delay)
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    served: () => hist.totalCount,
    errors: () => errors,
    truth: () => summarize(hist),
    setBands: (b) => {
      table = slots(b)
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

function slots(bands: Band[]): number[] {
  const out: number[] = []
  for (const b of bands) for (let k = 0; k < b.share; k++) out.push(b.ms)
  if (out.length !== 100) throw new Error('band shares must add up to 100')
  return out
}
