// Health of each component, the way its clients see it: PostgreSQL answers a query (the replica
// is in recovery), Redis answers PING, the apps are /ready, the edge answers over TLS with our CA,
// exporters and Prometheus/Alertmanager answer their readiness endpoints.

import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { Agent, request } from 'undici'
import { componentNamed, portOf, type ComponentName } from '../components.js'
import type { StackPaths } from './paths.js'
import { sql } from './postgres.js'

const TIMEOUT_MS = 1500

async function httpOk(url: string, opts: { ca?: string; contains?: string; what?: string } = {}): Promise<string | null> {
  const dispatcher = new Agent({ connect: { ca: opts.ca, timeout: TIMEOUT_MS }, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS })
  try {
    const r = await request(url, { dispatcher })
    const body = await r.body.text()
    if (r.statusCode !== 200) return `${url} answered ${r.statusCode}`
    if (opts.contains && !body.includes(opts.contains)) return `${url} does not show ${opts.what ?? opts.contains}`
    return null
  } catch (e) {
    return `${url}: ${(e as { code?: string }).code ?? (e as Error).message}`
  } finally {
    void dispatcher.close()
  }
}

function redisPing(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, timeout: TIMEOUT_MS })
    let got = ''
    s.once('connect', () => s.write('PING\r\n'))
    s.on('data', (d) => {
      got += d
      if (got.includes('\r\n')) {
        s.destroy()
        resolve(got.startsWith('+PONG') ? null : `redis answered ${got.trim()}`)
      }
    })
    s.once('timeout', () => {
      s.destroy()
      resolve('redis: no answer')
    })
    s.once('error', (e: NodeJS.ErrnoException) => resolve(`redis: ${e.code ?? e.message}`))
  })
}

async function postgres(port: number, wantRecovery: boolean): Promise<string | null> {
  try {
    const [row] = await sql<{ r: boolean }>(port, 'SELECT pg_is_in_recovery() AS r')
    return row!.r === wantRecovery ? null : wantRecovery ? 'not in recovery (promoted?)' : 'in recovery'
  } catch (e) {
    return `postgres on ${port}: ${(e as { code?: string }).code ?? (e as Error).message}`
  }
}

/** null when healthy, else what is wrong. `promoted`: the replica was promoted on purpose. */
export async function probe(name: ComponentName, basePort: number, paths: StackPaths, promoted = false): Promise<string | null> {
  const c = componentNamed(name)!
  const port = (use: string) => portOf(c, use, basePort)
  const local = (use: string, path: string) => `http://127.0.0.1:${port(use)}${path}`
  switch (name) {
    case 'postgres-primary':
      return postgres(port('pg'), false)
    case 'postgres-replica':
      return postgres(port('pg'), !promoted)
    case 'redis':
      return redisPing(port('redis'))
    case 'postgres-exporter-primary':
    case 'postgres-exporter-replica':
      return httpOk(local('http', '/metrics'), { contains: '\npg_up 1', what: 'pg_up 1 (the exporter reaches its PostgreSQL)' })
    case 'node-exporter':
      return httpOk(local('http', '/metrics'), { contains: '\nnode_cpu_seconds_total', what: 'node_cpu_seconds_total (the CPU collector)' })
    case 'app1':
    case 'app2':
      return httpOk(local('http', '/ready'))
    case 'edge': {
      const ca = readFileSync(paths.caCert, 'utf8')
      return (await httpOk(`https://127.0.0.1:${port('https')}/health`, { ca })) ?? (await httpOk(local('metrics', '/metrics')))
    }
    case 'prometheus':
    case 'alertmanager':
      return httpOk(local('http', '/-/ready'))
  }
}
