// /metrics for Prometheus: request latency by route, errors, database query latency, process
// metrics, and the time of the last successful backup (the stack has no backup agent; `golive
// staging up` records its dump).

import { readFileSync } from 'node:fs'
import client from 'prom-client'

export function createMetrics(instance: string, backupStampFile?: string) {
  const registry = new client.Registry()
  registry.setDefaultLabels({ app_instance: instance })
  client.collectDefaultMetrics({ register: registry })
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'Request latency by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  // the database as the app waits for it: the postgres server preset's db_query_p95 reads it
  const queries = new client.Histogram({
    name: 'app_db_query_duration_seconds',
    help: 'PostgreSQL query latency as the app waits for it',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  const errors = new client.Counter({
    name: 'http_request_errors_total',
    help: 'Responses with status 5xx, by route',
    labelNames: ['method', 'route'],
    registers: [registry],
  })
  new client.Gauge({
    name: 'golive_backup_last_success_timestamp_seconds',
    help: 'Unix time of the last successful database backup',
    registers: [registry],
    collect() {
      if (!backupStampFile) return
      try {
        this.set(Number(readFileSync(backupStampFile, 'utf8').trim()))
      } catch {
        /* no backup yet: no sample, BackupTooOld fires */
      }
    },
  })
  return {
    registry,
    observe(method: string, route: string, status: number, seconds: number) {
      duration.observe({ method, route, status: String(status) }, seconds)
      if (status >= 500) errors.inc({ method, route })
    },
    observeQuery(seconds: number) {
      queries.observe(seconds)
    },
  }
}

/** A route label with ids taken out, so the label set stays small. */
export function routeOf(path: string): string {
  if (/^\/api\/products\/\d+$/.test(path)) return '/api/products/:id'
  if (/^\/api\/orders\/\d+$/.test(path)) return '/api/orders/:id'
  return ['/', '/health', '/ready', '/metrics', '/api/products', '/api/login', '/api/orders'].includes(path) ? path : 'other'
}
