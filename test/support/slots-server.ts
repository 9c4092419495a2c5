// A server with a fixed number of service slots and a fixed service time: a request waits in
// line (FIFO) for a free slot, holds it for the service time, then is answered. Its capacity is
// slots × 1000 / service ms requests per second; `truth()` gives it from the hold times the
// server actually saw (timers fire late on a loaded machine, which lowers the real capacity).

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SlotsServer {
  url: string
  served: () => number
  /** requests per second the slots can serve, from the mean measured hold time */
  truth: () => number
  /** nominal capacity: slots × 1000 / service ms */
  nominal: number
  close: () => Promise<void>
}

export async function startSlotsServer(slots: number, serviceMs: number): Promise<SlotsServer> {
  let free = slots
  const queue: (() => void)[] = []
  let served = 0
  let held = 0
  const release = () => {
    const next = queue.shift()
    if (next) next()
    else free++
  }
  const server: Server = createServer((req, res) => {
    req.resume()
    const serve = () => {
      const t0 = performance.now()
      setTimeout(() => {
        held += performance.now() - t0
        served++
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.end('ok')
        release()
      }, serviceMs)
    }
    if (free > 0) {
      free--
      serve()
    } else queue.push(serve)
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    served: () => served,
    truth: () => (served ? (slots * 1000) / (held / served) : (slots * 1000) / serviceMs),
    nominal: (slots * 1000) / serviceMs,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}
