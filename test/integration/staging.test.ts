// The native staging stack with real processes: up once for the file, every check against it,
// down in `after` whatever happened. Needs the Debian packages; without them it says which and
// skips, except under CI=true where it fails.

import { testPort } from '../support/ports.js'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { connect as tlsConnect } from 'node:tls'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Agent, request } from 'undici'
import pg from 'pg'
import { golive, CLI } from '../support/cli.js'
import { chromiumPath, SKIP_NO_CHROMIUM } from '../support/chromium.js'
import { missingPackages } from '../../staging/native/programs.js'
import { takenPorts, portFree } from '../../staging/native/ports.js'
import { isOurs } from '../../staging/native/processes.js'
import { PASSWORDS } from '../../staging/render.js'
import type { StackState } from '../../staging/native/state.js'

const missing = missingPackages()
const skip =
  missing.length && process.env.CI !== 'true'
    ? `missing Debian packages: ${missing.join(' ')} (apt-get install -y --no-install-recommends ${missing.join(' ')})`
    : false
if (missing.length && process.env.CI === 'true') {
  test("the staging stack's Debian packages are installed (CI)", () => assert.fail(`missing Debian packages: ${missing.join(' ')}; .ci/run installs them`))
}

const BASE = testPort(28400)
const LOGIN_LIMIT = 20
const ORIGIN = `https://127.0.0.1:${BASE}`

describe('golive staging (native stack)', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'golive-staging-'))
  const stagingArgs = ['--state-dir', dir, '--base-port', String(BASE)]
  let agent: Agent
  let upSeconds = 0
  let upOutput = ''

  before(async () => {
    const t = Date.now()
    const r = await golive(['staging', 'up', ...stagingArgs, '--seed-orders', '5000', '--login-rate-limit', String(LOGIN_LIMIT)], { timeoutMs: 90_000 })
    upSeconds = (Date.now() - t) / 1000
    upOutput = r.stdout
    assert.equal(r.code, 0, `staging up failed:\n${r.stderr}${r.stdout}`)
    agent = new Agent({ connect: { ca: readFileSync(join(dir, 'tls', 'ca.pem'), 'utf8') } })
  })

  after(async () => {
    await agent?.close()
    const r = await golive(['staging', 'down', ...stagingArgs], { timeoutMs: 60_000 })
    if (r.code !== 0) process.stderr.write(`staging down: ${r.stderr}`)
    rmSync(dir, { recursive: true, force: true })
  })

  const get = (path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) =>
    request(`${ORIGIN}${path}`, { dispatcher: agent, method: (init.method ?? 'GET') as 'GET', body: init.body, headers: init.headers })

  test('the edge grades A+ for TLS (SSL Labs guide) and at least A for headers (Observatory), through the CLI', async () => {
    const ca = join(dir, 'tls', 'ca.pem')
    const tls = await golive(['check', 'tls', '--target', ORIGIN, '--ca', ca, '--format', 'json'])
    assert.equal(tls.code, 0, tls.stderr)
    const t = JSON.parse(tls.stdout)
    assert.equal(t.figures.grade.value, 'A+', JSON.stringify(t.evidence?.caps ?? t.evidence, null, 1)?.slice(0, 2000))
    const headers = await golive(['check', 'headers', '--target', ORIGIN, '--ca', ca, '--http-port', String(BASE + 1), '--format', 'json'])
    assert.equal(headers.code, 0, headers.stderr)
    const h = JSON.parse(headers.stdout)
    assert.ok(['A+', 'A'].includes(h.figures.grade.value), `headers grade ${h.figures.grade.value} (score ${h.figures.score.value})`)
    // the front page's script and style are files: no CSP 'unsafe-inline' needed
    assert.doesNotMatch(JSON.stringify(h.figures), /unsafe-inline/)
  })

  test('the page-load asset audit passes at the edge: hashed static files for a year, text gzipped, every request over HTTP/2', async (t) => {
    const exe = chromiumPath()
    if (!exe) return t.skip(SKIP_NO_CHROMIUM)
    const r = await golive(['check', 'page-load', '--target', ORIGIN, '--ca', join(dir, 'tls', 'ca.pem'), '--format', 'json'], {
      env: { GOLIVE_CHROMIUM: exe },
      timeoutMs: 90_000,
    })
    assert.equal(r.code, 0, r.stderr)
    const result = JSON.parse(r.stdout) as {
      status: string
      reason?: string
      figures: Record<string, { value: number }>
      evidence: {
        pages: {
          assets: {
            findings: unknown[]
            resources: { url: string; type: string; protocol: string; encoding: string | null; cacheControl: string | null; hashed: boolean }[]
          }
        }[]
      }
    }
    assert.equal(result.status, 'measured', result.reason ?? '')
    const fig = (k: string) => result.figures[`page.home.assets.${k}`]?.value
    const { resources, findings } = result.evidence.pages[0]!.assets
    t.diagnostic(
      Object.entries(result.figures)
        .filter(([k]) => k.includes('.assets.'))
        .map(([k, v]) => `${k.split('.').pop()} ${v.value}`)
        .join(', '),
    )
    t.diagnostic(resources.map((x) => `${x.type} ${new URL(x.url).pathname} ${x.protocol} ${x.encoding ?? '-'} ${x.cacheControl ?? '-'}`).join('; '))
    assert.deepEqual([fig('uncached'), fig('uncompressed'), fig('http1_requests')], [0, 0, 0], JSON.stringify(findings))
    assert.deepEqual(findings, [])
    // the page's stylesheet and script, hashed and immutable; the HTML, CSS and JS gzipped by the edge
    const statics = resources.filter((x) => x.type === 'Stylesheet' || x.type === 'Script')
    assert.equal(statics.length, 2)
    for (const x of statics) assert.ok(x.hashed && x.cacheControl === 'public, max-age=31536000, immutable', JSON.stringify(x))
    for (const x of resources.filter((x) => ['Document', 'Stylesheet', 'Script'].includes(x.type))) assert.equal(x.encoding, 'gzip', JSON.stringify(x))
    assert.ok(
      resources.every((x) => x.protocol === 'h2'),
      resources.map((x) => x.protocol).join(', '),
    )
    // the API's JSON is left as it is (its bytes are what load tests measure)
    const api = await get('/api/products?limit=50', { headers: { 'accept-encoding': 'gzip' } })
    await api.body.text()
    assert.equal(api.headers['content-encoding'], undefined)
  })

  test('up is ready within 60 s, prints the URLs, and a second up finds it already up', async (t) => {
    t.diagnostic(`staging up took ${upSeconds.toFixed(1)} s`)
    assert.ok(upSeconds < 60, `up took ${upSeconds} s`)
    assert.match(upOutput, new RegExp(`https://127\\.0\\.0\\.1:${BASE}`))
    const again = await golive(['staging', 'up', ...stagingArgs])
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stdout, /already up/)
  })

  test('HTTPS through the edge reaches both app instances, with the security headers', async () => {
    const seen = new Set<string>()
    for (let i = 0; i < 6; i++) {
      const r = await get('/api/products?limit=5')
      assert.equal(r.statusCode, 200)
      const body = (await r.body.json()) as { items: unknown[]; total: number }
      assert.equal(body.items.length, 5)
      seen.add(String(r.headers['x-golive-instance']))
      const hsts = /max-age=(\d+)/.exec(String(r.headers['strict-transport-security']))
      assert.ok(hsts && Number(hsts[1]) >= 180 * 86400, 'HSTS max-age of at least 180 days')
      assert.equal(r.headers['x-content-type-options'], 'nosniff')
      assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/)
      assert.ok(r.headers['referrer-policy'])
    }
    assert.deepEqual([...seen].sort(), ['app1', 'app2'])
  })

  test('http redirects to https; TLS below 1.2 is refused', async () => {
    const r = await request(`http://127.0.0.1:${BASE + 1}/api/products?limit=1`)
    await r.body.dump()
    assert.equal(r.statusCode, 301)
    assert.equal(r.headers.location, `https://127.0.0.1:${BASE}/api/products?limit=1`)
    const refused = await new Promise<boolean>((resolve) => {
      const s = tlsConnect({ host: '127.0.0.1', port: BASE, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', rejectUnauthorized: false })
      s.once('secureConnect', () => {
        s.destroy()
        resolve(false)
      })
      s.once('error', () => resolve(true))
    })
    assert.ok(refused, 'a TLS 1.1 handshake fails')
    const handshake = (opts: { ciphers?: string; maxVersion?: 'TLSv1.2' | 'TLSv1.3' }) =>
      new Promise<string | null>((resolve) => {
        const s = tlsConnect({ host: '127.0.0.1', port: BASE, rejectUnauthorized: false, minVersion: 'TLSv1.2', ...opts })
        s.once('secureConnect', () => {
          const c = s.getCipher().name
          s.destroy()
          resolve(c)
        })
        s.once('error', () => resolve(null))
      })
    assert.equal(
      await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA:AES128-GCM-SHA256' }),
      null,
      'CBC and non-forward-secret suites are refused',
    )
    assert.match(String(await handshake({ maxVersion: 'TLSv1.2' })), /^ECDHE-ECDSA-.*(GCM|CHACHA20)/)
  })

  test('the journey works across instances: login on one, order on the other (sessions in Redis, orders in PostgreSQL)', async () => {
    const login = await get('/api/login', {
      method: 'POST',
      body: JSON.stringify({ username: 'user7', password: 'golive-demo' }),
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(login.statusCode, 200)
    const { token } = (await login.body.json()) as { token: string }
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    const instances = new Set<string>()
    for (let i = 0; i < 2; i++) {
      const order = await get('/api/orders', { method: 'POST', body: JSON.stringify({ items: [{ productId: 4, quantity: 1 }] }), headers: auth })
      assert.equal(order.statusCode, 201)
      instances.add(String(order.headers['x-golive-instance']))
      const { id } = (await order.body.json()) as { id: number }
      const back = await get(`/api/orders/${id}`, { headers: auth })
      assert.equal(back.statusCode, 200)
      instances.add(String(back.headers['x-golive-instance']))
      await back.body.dump()
    }
    assert.equal(instances.size, 2, 'the token worked on both instances')
  })

  test('repeated failed logins lock the account (423)', async () => {
    const attempt = async (password: string) => {
      const r = await get('/api/login', {
        method: 'POST',
        body: JSON.stringify({ username: 'user9', password }),
        headers: { 'content-type': 'application/json' },
      })
      await r.body.dump()
      return r.statusCode
    }
    const codes = []
    for (let i = 0; i < 5; i++) codes.push(await attempt('wrong'))
    assert.deepEqual(codes, [401, 401, 401, 401, 401])
    assert.equal(await attempt('golive-demo'), 423, 'locked even with the right password')
    await sleep(1100) // the rate limit's one-second window
  })

  test('the edge rate-limits logins per IP (429)', async () => {
    const codes = await Promise.all(
      Array.from({ length: LOGIN_LIMIT * 2 }, async () => {
        const r = await get('/api/login', {
          method: 'POST',
          body: JSON.stringify({ username: 'user11', password: 'golive-demo' }),
          headers: { 'content-type': 'application/json' },
        })
        await r.body.dump()
        return r.statusCode
      }),
    )
    assert.ok(codes.includes(429), `some 429 among ${codes.join(',')}`)
    assert.ok(codes.includes(200), 'the first ones pass')
    await sleep(1100)
  })

  test('the replica streams from the primary (pg_stat_replication)', async () => {
    const c = new pg.Client({ host: '127.0.0.1', port: BASE + 20, user: 'postgres', password: PASSWORDS.postgres, database: 'postgres' })
    await c.connect()
    try {
      const r = await c.query<{ state: string; application_name: string }>('SELECT state, application_name FROM pg_stat_replication')
      assert.equal(r.rows.length, 1, 'one standby')
      assert.equal(r.rows[0]!.state, 'streaming')
    } finally {
      await c.end()
    }
  })

  test('every Prometheus target is up, and Alertmanager is ready', async () => {
    let targets: { labels: { job: string }; health: string; scrapeUrl: string }[] = []
    const until = Date.now() + 20_000
    while (Date.now() < until) {
      const r = await request(`http://127.0.0.1:${BASE + 40}/api/v1/targets`)
      targets = ((await r.body.json()) as { data: { activeTargets: typeof targets } }).data.activeTargets
      if (targets.length === 8 && targets.every((t) => t.health === 'up')) break
      await sleep(500)
    }
    assert.deepEqual([...new Set(targets.map((t) => t.labels.job))].sort(), ['alertmanager', 'app', 'edge', 'node', 'postgres', 'prometheus'])
    assert.deepEqual(
      targets.filter((t) => t.health !== 'up').map((t) => t.scrapeUrl),
      [],
      'targets not up',
    )
    const rules = await request(`http://127.0.0.1:${BASE + 40}/api/v1/rules`)
    const names = ((await rules.body.json()) as { data: { groups: { rules: { name: string }[] }[] } }).data.groups.flatMap((g) => g.rules.map((x) => x.name))
    for (const n of ['AppInstanceDown', 'HighErrorRate', 'HighLatencyP95', 'PostgresReplicaLagHigh', 'BackupTooOld', 'Watchdog'])
      assert.ok(names.includes(n), n)
    const am = await request(`http://127.0.0.1:${BASE + 41}/-/ready`)
    await am.body.dump()
    assert.equal(am.statusCode, 200)
    // the replica's lag is a series the PostgresReplicaLagHigh rule can read
    const lag = await request(`http://127.0.0.1:${BASE + 40}/api/v1/query?query=${encodeURIComponent('pg_replication_lag{role="replica"}')}`)
    assert.equal(((await lag.body.json()) as { data: { result: unknown[] } }).data.result.length, 1, 'pg_replication_lag of the replica')
  })

  test("server figures under the journey: node and postgres presets from the stack's Prometheus, pg_stat_statements counts the order statement once per order", async () => {
    const work = mkdtempSync(join(tmpdir(), 'golive-staging-server-'))
    try {
      const monitorUrl = `postgresql://golive_monitor:${PASSWORDS.monitor}@127.0.0.1:${BASE + 20}/golive`
      writeFileSync(
        join(work, 'golive.config.json'),
        JSON.stringify({
          // smoke: every iteration places one order (load's mix orders in 1 of 10, so a short run
          // can place none in its window)
          environments: {
            stack: {
              baseUrl: ORIGIN,
              ca: join(dir, 'tls', 'ca.pem'),
              scenarios: ['smoke'],
              server: { prometheus: `http://127.0.0.1:${BASE + 40}`, presets: ['node', 'postgres'], postgres: monitorUrl },
            },
          },
          gates: { presets: ['system'] },
        }),
      )
      const r = await golive(['loadtest', '--env', 'stack', '--vus', '5', '--duration', '12s', '--out', join(work, 'run')], { cwd: work, timeoutMs: 120_000 })
      assert.equal(r.code, 0, r.stderr)
      const text = readFileSync(join(work, 'run', 'results.json'), 'utf8')
      const res = JSON.parse(text) as {
        figures: Record<string, { value: number; unit?: string }>
        checks: {
          id: string
          status: string
          reason?: string
          noData?: Record<string, string>
          evidence: { scenarios: { top: { query: string; calls: number }[] }[] }
        }[]
      }
      const server = res.checks.find((c) => c.id === 'server')!
      assert.equal(server.status, 'measured', server.reason ?? '')
      // every preset query has data on the stack (the node exporter, the postgres exporters, the apps' db histogram)
      assert.deepEqual(server.noData ?? {}, {})
      const f = (name: string) => res.figures[name]?.value
      for (const name of ['cpu_percent', 'memory_percent', 'disk_percent']) {
        assert.ok(f(`server.${name}`)! > 0 && f(`server.${name}`)! <= 100, `server.${name} = ${f(`server.${name}`)}`)
      }
      assert.ok(f('server.open_connections')! >= 1, 'TCP connections established')
      // the two apps' pools and the exporters' connections, at least
      assert.ok(f('server.pg_connections')! >= 2, `pg_connections = ${f('server.pg_connections')}`)
      assert.ok(f('server.db_query_p95')! > 0, "the apps' db histogram gives a p95")
      // the truth: the journey places one order per iteration, one CREATE_ORDER statement each;
      // the window ends before the graceful stop, so it holds most of them and never more
      const orders = f('load.smoke.step.order.requests')!
      const db = res.checks.find((c) => c.id === 'db')!
      assert.equal(db.status, 'measured')
      const order = db.evidence.scenarios[0]!.top.find((s) => /^WITH wanted AS/.test(s.query.trim()))
      assert.ok(order, `the order statement is among the top: ${db.evidence.scenarios[0]!.top.map((s) => s.query.slice(0, 40)).join(' | ')}`)
      assert.ok(order.calls <= orders && order.calls >= 0.6 * orders, `order statement calls ${order.calls}, orders placed ${orders}`)
      assert.ok(f('db.smoke.query_mean_ms_max')! > 0)
      // the monitoring role's password never reaches the results or the report
      assert.ok(!text.includes(PASSWORDS.monitor))
      assert.ok(!readFileSync(join(work, 'run', 'report.html'), 'utf8').includes(PASSWORDS.monitor))
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  })

  test('Watchdog travels Prometheus → Alertmanager; BackupTooOld is inactive (up took a backup)', async () => {
    let names: string[] = []
    const until = Date.now() + 20_000
    while (Date.now() < until && !names.includes('Watchdog')) {
      const r = await request(`http://127.0.0.1:${BASE + 41}/api/v2/alerts`)
      names = ((await r.body.json()) as { labels: { alertname: string } }[]).map((a) => a.labels.alertname)
      if (!names.includes('Watchdog')) await sleep(500)
    }
    assert.ok(names.includes('Watchdog'), `alerts in Alertmanager: ${names.join(', ')}`)
    // the backup up recorded is a series, so BackupTooOld turns inactive once the apps are scraped
    // (it may be pending from an evaluation before their first scrape; it needs 10 s to fire)
    let state = ''
    for (const until = Date.now() + 10_000; Date.now() < until && state !== 'inactive'; await sleep(500)) {
      const rules = await request(`http://127.0.0.1:${BASE + 40}/api/v1/rules`)
      state =
        ((await rules.body.json()) as { data: { groups: { rules: { name: string; state: string }[] }[] } }).data.groups
          .flatMap((g) => g.rules)
          .find((x) => x.name === 'BackupTooOld')?.state ?? 'missing'
    }
    assert.equal(state, 'inactive')
  })

  // issue 21: init against the staging stack (init.test.ts has the bare server): an https edge
  // with HSTS behind the stack's CA, health endpoints, /metrics and the stack's Prometheus. The
  // written config loads and runs: its checks measure, its journey has no error, and only the
  // go-live preset's 100-user gate stands between a 2-user smoke run and GO.
  test('golive init against the stack writes a config with tls, headers and monitoring that runs', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'golive-init-staging-'))
    try {
      const init = await golive(['init', '--yes', '--target', ORIGIN, '--ca', join(dir, 'tls', 'ca.pem'), '--prometheus', `http://127.0.0.1:${BASE + 40}`], {
        cwd,
      })
      assert.equal(init.code, 0, init.stderr + init.stdout)
      assert.match(init.stdout, /found: https with HSTS/)
      const text = readFileSync(join(cwd, 'golive.config.ts'), 'utf8')
      assert.match(text, /health endpoints: \/health/)
      assert.match(text, /Prometheus metrics at \/metrics/)
      assert.match(text, /\/\/ failover: /, 'drills left commented out')
      const r = await golive(['run', '--duration', '3s', '--vus', '2', '--out', join(cwd, 'run')], { cwd, timeoutMs: 120_000 })
      assert.equal(r.code, 1, r.stderr + r.stdout)
      const results = JSON.parse(readFileSync(join(cwd, 'run', 'results.json'), 'utf8')) as {
        checks: { id: string; status: string; reason?: string }[]
        scenarios: { name: string; requests: number; errors: number }[]
      }
      assert.deepEqual(results.checks.map((c) => c.id).sort(), ['headers', 'monitoring', 'tls'])
      for (const c of results.checks) assert.equal(c.status, 'measured', `${c.id}: ${c.reason}`)
      const s = results.scenarios[0]!
      assert.ok(s.requests > 0 && s.errors === 0, `${s.name}: ${s.requests} requests, ${s.errors} errors`)
      assert.match(r.stdout, /NO-GO: 1 blocker failed \(load\.first\.vus_max\)/)
    } finally {
      rmSync(cwd, { recursive: true, force: true })
    }
  })

  test('kill-app1 under load (20 req/s for 5 s): no failed request through the edge; heal restores it', async () => {
    const codes: number[] = []
    const load = (async () => {
      const pending: Promise<void>[] = []
      for (let i = 0; i < 100; i++) {
        pending.push(
          get(i % 2 ? '/api/products/3' : '/api/products?limit=5').then(
            async (r) => {
              await r.body.dump()
              codes.push(r.statusCode)
            },
            () => {
              codes.push(0)
            },
          ),
        )
        await sleep(50)
      }
      await Promise.all(pending)
    })()
    await sleep(1000)
    const kill = await golive(['staging', 'fault', 'kill-app1', ...stagingArgs])
    assert.equal(kill.code, 0, kill.stderr)
    await load
    assert.equal(codes.length, 100)
    assert.deepEqual(
      codes.filter((c) => c !== 200),
      [],
      'failed requests',
    )
    const status = await golive(['staging', 'status', ...stagingArgs])
    assert.equal(status.code, 1, 'status says one component is unhealthy')
    assert.match(status.stdout, /UNHEALTHY app1/)
    const heal = await golive(['staging', 'heal', ...stagingArgs], { timeoutMs: 60_000 })
    assert.equal(heal.code, 0, heal.stderr)
    assert.match(heal.stdout, /app1 restarted/)
    assert.equal((await golive(['staging', 'status', ...stagingArgs])).code, 0)
  })

  test('error-burst makes API requests fail, and ends with heal', async () => {
    assert.equal((await golive(['staging', 'fault', 'error-burst', ...stagingArgs])).code, 0)
    await sleep(700) // the apps read fault flags every 500 ms
    const codes: number[] = []
    for (let i = 0; i < 20; i++) {
      const r = await get('/api/products/1')
      await r.body.dump()
      codes.push(r.statusCode)
    }
    assert.ok(codes.includes(500), 'some 500s')
    assert.equal((await golive(['staging', 'heal', ...stagingArgs])).code, 0)
    await sleep(700)
    for (let i = 0; i < 6; i++) {
      const r = await get('/api/products/1')
      await r.body.dump()
      assert.equal(r.statusCode, 200)
    }
  })

  test('slow-db makes requests slow until heal', async () => {
    assert.equal((await golive(['staging', 'fault', 'slow-db', ...stagingArgs])).code, 0)
    await sleep(700)
    const t = Date.now()
    const r = await get('/api/products/5')
    await r.body.dump()
    assert.ok(Date.now() - t >= 250, `a product read took ${Date.now() - t} ms`)
    assert.equal((await golive(['staging', 'heal', ...stagingArgs])).code, 0)
    await sleep(700)
    const t2 = Date.now()
    await (await get('/api/products/5')).body.dump()
    assert.ok(Date.now() - t2 < 250, `after heal: ${Date.now() - t2} ms`)
  })

  test('failover: stop-primary, promote-replica, writes go on; heal rebuilds primary + replica without losing them', async () => {
    const login = await get('/api/login', {
      method: 'POST',
      body: JSON.stringify({ username: 'user21', password: 'golive-demo' }),
      headers: { 'content-type': 'application/json' },
    })
    const { token } = (await login.body.json()) as { token: string }
    const order = async () => {
      const r = await get('/api/orders', {
        method: 'POST',
        body: JSON.stringify({ items: [{ productId: 2, quantity: 1 }] }),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      })
      return { status: r.statusCode, id: r.statusCode === 201 ? ((await r.body.json()) as { id: number }).id : (await r.body.dump(), 0) }
    }
    assert.equal((await golive(['staging', 'fault', 'stop-primary', ...stagingArgs])).code, 0)
    assert.equal((await golive(['staging', 'fault', 'promote-replica', ...stagingArgs])).code, 0)
    const during = await order()
    assert.equal(during.status, 201, 'an order placed on the promoted replica')
    const heal = await golive(['staging', 'heal', ...stagingArgs], { timeoutMs: 90_000 })
    assert.equal(heal.code, 0, heal.stderr + heal.stdout)
    const back = await get(`/api/orders/${during.id}`, { headers: { authorization: `Bearer ${token}` } })
    assert.equal(back.statusCode, 200, 'the order written during the failover survived the heal')
    await back.body.dump()
    assert.equal((await order()).status, 201)
    const c = new pg.Client({ host: '127.0.0.1', port: BASE + 20, user: 'postgres', password: PASSWORDS.postgres, database: 'postgres' })
    await c.connect()
    try {
      assert.equal((await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0]!.r, false, 'the primary is the primary again')
      assert.equal((await c.query("SELECT 1 FROM pg_stat_replication WHERE state = 'streaming'")).rowCount, 1, 'the replica streams again')
    } finally {
      await c.end()
    }
  })

  test('down stops every process up started and frees every port', async () => {
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as StackState
    const r = await golive(['staging', 'down', ...stagingArgs], { timeoutMs: 60_000 })
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(
      Object.values(state.processes)
        .filter(isOurs)
        .map((p) => p.name),
      [],
      'still running',
    )
    assert.deepEqual(await takenPorts(BASE), [], 'ports still bound')
    assert.ok(!existsSync(join(dir, 'state.json')))
  })
})

describe('golive staging up: bad input and Ctrl-C', { skip }, () => {
  const base = testPort(29400)

  test('a port already taken: exit 2, naming the port and its component, nothing started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'golive-staging-'))
    const { createServer } = await import('node:net')
    const blocker = createServer().listen(base + 30, '127.0.0.1')
    await new Promise((r) => blocker.once('listening', r))
    try {
      const r = await golive(['staging', 'up', '--state-dir', dir, '--base-port', String(base)])
      assert.equal(r.code, 2)
      assert.match(r.stderr, new RegExp(`port ${base + 30} \\(redis\\) is already in use`))
      assert.ok(!existsSync(join(dir, 'state.json')))
    } finally {
      blocker.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a component that does not become healthy (a broken certificate): exit 2 naming it and its log, nothing left running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'golive-staging-'))
    try {
      mkdirSync(join(dir, 'tls'))
      writeFileSync(join(dir, 'tls', 'ca.pem'), 'not a certificate\n')
      writeFileSync(join(dir, 'tls', 'edge.pem'), 'not a certificate\n')
      const r = await golive(['staging', 'up', '--state-dir', dir, '--base-port', String(base), '--seed-orders', '1000'], { timeoutMs: 90_000 })
      assert.equal(r.code, 2)
      assert.match(r.stderr, /edge did not become healthy/)
      assert.ok(r.stderr.includes(join(dir, 'logs', 'edge.log')), r.stderr)
      assert.deepEqual(await takenPorts(base), [])
      assert.ok(!existsSync(join(dir, 'state.json')))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('Ctrl-C during up stops what it started: no orphan process, no bound port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'golive-staging-'))
    try {
      const p = spawn(process.execPath, [CLI, 'staging', 'up', '--state-dir', dir, '--base-port', String(base), '--seed-orders', '1000'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stderr = ''
      p.stderr.on('data', (d) => {
        stderr += d
      })
      const state = join(dir, 'state.json')
      // interrupt once some components run
      const until = Date.now() + 30_000
      let started: StackState | null = null
      while (Date.now() < until) {
        if (existsSync(state)) {
          try {
            started = JSON.parse(readFileSync(state, 'utf8')) as StackState
          } catch {
            started = null
          }
          if (started && Object.keys(started.processes).length >= 3) break
        }
        await sleep(20)
      }
      assert.ok(started && Object.keys(started.processes).length >= 3, 'up got going')
      p.kill('SIGINT')
      const code = await new Promise<number | null>((resolve) => p.once('close', resolve))
      assert.notEqual(code, 0)
      assert.match(stderr, /interrupted/)
      assert.deepEqual(
        Object.values(started!.processes)
          .filter(isOurs)
          .map((x) => x.name),
        [],
        'orphans',
      )
      assert.deepEqual(await takenPorts(base), [])
      assert.ok(await portFree(base + 20))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
