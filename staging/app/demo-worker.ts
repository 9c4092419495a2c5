import { createServer } from 'node:http'
import { parentPort } from 'node:worker_threads'
import { createApp } from './app.js'
import { MemoryStore } from './store.js'

const server = createServer({ keepAliveTimeout: 60_000 }, createApp({ store: new MemoryStore() }))
server.listen(0, '127.0.0.1', () => {
  const addr = server.address()
  parentPort!.postMessage({ port: typeof addr === 'object' && addr ? addr.port : 0 })
})
