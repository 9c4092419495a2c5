// The target every tool hits: a minimal keep-alive HTTP server, run as its own process so it
// has its own core. It counts what it served, so each tool's count can be checked against it.

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

let served = 0
const server = createServer((_req, res) => {
  served++
  res.end('ok')
})
server.keepAliveTimeout = 60_000

// a large backlog so 1000 simultaneous connects are not dropped and retried
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  process.send!({ type: 'listening', port: (server.address() as AddressInfo).port })
})
process.on('message', (m: { type: string }) => {
  if (m.type === 'served') process.send!({ type: 'served', served })
})
// the parent going away (or closing the channel) ends the target
process.on('disconnect', () => process.exit(0))
