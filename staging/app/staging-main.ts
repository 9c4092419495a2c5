// One staging app instance: the demo's routes on PostgreSQL and Redis, plus /ready, /metrics and
// the drills' faults. Configured by environment variables (set by `golive staging up` or compose).

import { createServer } from 'node:http'
import { createApp } from './app.js'
import { PgStore } from './pg-store.js'
import { connectRedis, faultFlags, redisLoginGuard, redisSessions } from './redis-state.js'
import { createMetrics, routeOf } from './metrics.js'

const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback
  if (v === undefined) {
    console.error(`staging app: ${name} is not set`)
    process.exit(2)
  }
  return v
}
const instance = env('GOLIVE_INSTANCE', 'app')
const hosts = env('GOLIVE_DB_HOSTS')
  .split(',')
  .map((h) => {
    const [host, port] = h.split(':')
    return { host: host!, port: Number(port) }
  })
const redis = connectRedis(env('GOLIVE_REDIS_URL'))
const faults = faultFlags(redis)
const metrics = createMetrics(instance, process.env.GOLIVE_BACKUP_STAMP)
const store = new PgStore({
  hosts,
  database: env('GOLIVE_DB_NAME', 'golive'),
  user: env('GOLIVE_DB_USER', 'golive'),
  password: env('GOLIVE_DB_PASSWORD'),
  extraDelayMs: faults.slowDbMs,
  onQuery: metrics.observeQuery,
})
const app = createApp({ store, name: 'golive staging ERP', sessions: redisSessions(redis), loginGuard: redisLoginGuard(redis) })

/** set by SIGTERM (below): /ready fails and connections close while the edge takes us out */
let draining = false

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms).unref())])

const server = createServer({ keepAliveTimeout: 60_000 }, async (req, res) => {
  const started = process.hrtime.bigint()
  const path = (req.url ?? '/').split('?')[0]!
  res.setHeader('x-golive-instance', instance)
  // draining: every answer closes its connection, so none is left idle for the edge to reuse
  if (draining) res.setHeader('connection', 'close')
  res.on('finish', () => metrics.observe(req.method ?? 'GET', routeOf(path), res.statusCode, Number(process.hrtime.bigint() - started) / 1e9))
  if (path === '/metrics') {
    res.writeHead(200, { 'content-type': metrics.registry.contentType })
    return void res.end(await metrics.registry.metrics())
  }
  if (path === '/ready' && draining) {
    res.writeHead(503, { 'content-type': 'application/json' })
    return void res.end(JSON.stringify({ status: 'draining', instance }))
  }
  if (path === '/ready') {
    const [db, cache] = await Promise.allSettled([withTimeout(store.ping(), 1000, 'postgres'), withTimeout(redis.ping(), 1000, 'redis')])
    const body = {
      status: db.status === 'fulfilled' && cache.status === 'fulfilled' ? 'ready' : 'not ready',
      instance,
      postgres: db.status === 'fulfilled' ? 'ok' : String(db.reason?.message ?? db.reason),
      redis: cache.status === 'fulfilled' ? 'ok' : String(cache.reason?.message ?? cache.reason),
    }
    res.writeHead(body.status === 'ready' ? 200 : 503, { 'content-type': 'application/json' })
    return void res.end(JSON.stringify(body))
  }
  // error-burst fault: a share of API requests fail, as a broken deploy would
  if (path.startsWith('/api/') && Math.random() < faults.errorBurstRatio()) {
    res.writeHead(500, { 'content-type': 'application/json' })
    return void res.end(JSON.stringify({ error: 'injected fault: error-burst' }))
  }
  await app(req, res)
})

server.listen(Number(env('GOLIVE_PORT')), env('GOLIVE_HOST', '127.0.0.1'), () =>
  console.log(`${instance} listening on ${env('GOLIVE_HOST', '127.0.0.1')}:${env('GOLIVE_PORT')}`),
)

// SIGTERM (a deploy, a rolling restart) drains first: /ready answers 503 until the edge has taken
// the instance out (HAProxy: fall 2 at fastinter 500 ms after an inter of 1 s, about 2 s), while
// the requests it still sends are answered. Only then does the server close: no new connections,
// the requests in flight finish on the still-open store, and then the store and Redis close.
// Closing at once raced the edge: a request it sent on an idle connection the app was closing
// failed (rolling-restart.failed_requests 1 in CI), and closing the store with the server failed
// one caught in flight. SIGINT (staging down, which stops the edge first; Ctrl-C) skips the drain.
const DRAIN_MS = Number(process.env.GOLIVE_DRAIN_MS ?? 2500)
const close = () => {
  faults.stop()
  server.close(() => void Promise.allSettled([store.close(), redis.quit()]).then(() => process.exit(0)))
  server.closeIdleConnections()
  setTimeout(() => process.exit(0), 2000).unref()
}
process.on('SIGTERM', () => {
  if (draining) return
  draining = true
  setTimeout(close, DRAIN_MS)
})
process.on('SIGINT', close)
