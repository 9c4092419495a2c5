// pg_stat_statements over the load window, against a real PostgreSQL: a truth server runs one
// statement five times per journey and another once; golive's top statement is the one the
// journey runs most, its calls match what the server executed in the window, and no literal or
// parameter reaches results.json or report.html (PostgreSQL's own $n text only).

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { golive } from '../support/cli.js'
import { noPostgres, startCluster } from '../support/pg-cluster.js'
import type { Results } from '../../core/results.js'
import { readStatements, statementsDelta } from '../../checks/server/statements.js'

const LITERAL = 'literal-never-shown-7731'
const PARAM = 918273

test('the top statement is the one the journey runs most; text normalised, no literal or parameter shown', {
  skip: noPostgres,
  timeout: 180_000,
}, async (t) => {
  const cluster = await startCluster()
  const pool = new pg.Pool({ connectionString: cluster.url, max: 8 })
  pool.on('error', () => {}) // idle clients when the cluster stops
  const served = { often: 0, once: 0 }
  const server = createServer((req, res) => {
    const often = req.url === '/often'
    const q = often ? pool.query('SELECT pg_sleep(0.001), $1::int AS often', [PARAM]) : pool.query(`SELECT pg_sleep(0.001), '${LITERAL}' AS once`)
    q.then(
      () => {
        served[often ? 'often' : 'once']++
        res.end('ok')
      },
      (e: Error) => {
        res.statusCode = 500
        res.end(e.message)
      },
    )
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  try {
    const cwd = mkdtempSync(join(tmpdir(), 'golive-db-'))
    writeFileSync(
      join(cwd, 'j.json'),
      JSON.stringify({
        name: 'j',
        profile: { model: 'closed', vus: 4, duration: '4s', gracefulStop: '2s' },
        steps: [
          ...Array.from({ length: 5 }, (_, i) => ({ name: `often${i}`, path: '/often', check: { status: 200 } })),
          { name: 'once', path: '/once', check: { status: 200 } },
        ],
      }),
    )
    writeFileSync(
      join(cwd, 'golive.config.json'),
      JSON.stringify({
        defaultEnv: 't',
        environments: { t: { baseUrl: target, scenarios: ['./j.json'], server: { postgres: cluster.url } } },
        gates: { presets: [], rules: ['db.*.query_mean_ms_max < 1s'] },
      }),
    )
    const out = join(cwd, 'run')
    const r = await golive(['loadtest', '--out', out], { cwd })
    assert.equal(r.code, 0, r.stderr)
    const text = readFileSync(join(out, 'results.json'), 'utf8')
    const results = JSON.parse(text) as Results
    const db = results.checks.find((c) => c.id === 'db')!
    assert.equal(db.status, 'measured', db.reason ?? '')
    const top = (db.evidence as { scenarios: { top: { query: string; calls: number; meanMs: number }[] }[] }).scenarios[0]!.top
    assert.match(top[0]!.query, /^SELECT pg_sleep\(\$2\), \$1::int AS often$/)
    assert.match(top[1]!.query, /^SELECT pg_sleep\(\$1\), \$2 AS once$/)
    // the window is the whole constant profile, less the graceful stop: most of what ran
    assert.ok(top[0]!.calls <= served.often && top[0]!.calls >= 0.7 * served.often, `calls ${top[0]!.calls}, served ${served.often}`)
    const ratio = top[0]!.calls / top[1]!.calls
    t.diagnostic(`often: ${top[0]!.calls} calls in the window of ${served.often} served; once: ${top[1]!.calls} of ${served.once}; mean ${top[0]!.meanMs} ms`)
    assert.ok(ratio > 4 && ratio < 6, `often/once ${ratio}: the journey runs it 5 times to 1`)
    assert.equal(results.figures['db.j.query_mean_ms_max']?.unit, 'ms')
    assert.equal(results.figures['db.j.query_mean_ms_max']?.value, Math.max(...top.map((t) => t.meanMs)))
    assert.ok((results.figures['db.j.query_mean_ms_max']!.value as number) >= 1, 'each statement sleeps 1 ms')
    const html = readFileSync(join(out, 'report.html'), 'utf8')
    assert.match(html, /Top statements: j/)
    assert.match(html, /SELECT pg_sleep\(\$2\), \$1::int AS often/)
    for (const s of [text, html]) {
      assert.ok(!s.includes(LITERAL), 'a literal reached the output')
      assert.ok(!s.includes(String(PARAM)), 'a parameter reached the output')
    }
  } finally {
    server.close()
    await pool.end()
    await cluster.close()
  }
})

test('server.postgres without pg_stat_statements: exit 2 before the load, the fix named', { skip: noPostgres, timeout: 120_000 }, async () => {
  const cluster = await startCluster()
  let requests = 0
  const server = createServer((_req, res) => {
    requests++
    res.end('ok')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  try {
    const c = new pg.Client({ connectionString: cluster.url })
    await c.connect()
    await c.query('CREATE DATABASE plain')
    await c.end()
    const cwd = mkdtempSync(join(tmpdir(), 'golive-db-'))
    writeFileSync(
      join(cwd, 'golive.config.json'),
      JSON.stringify({
        defaultEnv: 't',
        environments: {
          t: {
            baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
            scenarios: ['smoke'],
            server: { postgres: cluster.url.replace(/\/postgres$/, '/plain') },
          },
        },
      }),
    )
    const r = await golive(['loadtest', '--vus', '1', '--duration', '1s'], { cwd })
    assert.equal(r.code, 2, r.stderr)
    assert.match(
      r.stderr,
      /environments\.t\.server\.postgres: pg_stat_statements is not installed in the database at 127\.0\.0\.1:\d+\/plain: CREATE EXTENSION pg_stat_statements/,
    )
    assert.equal(requests, 0)
  } finally {
    server.close()
    await cluster.close()
  }
})

test("only the URL's database: a statement another database runs (a monitoring agent's) is not counted", { skip: noPostgres, timeout: 120_000 }, async () => {
  const cluster = await startCluster()
  try {
    const admin = new pg.Client({ connectionString: cluster.url })
    await admin.connect()
    await admin.query('CREATE DATABASE app')
    await admin.end()
    const appUrl = cluster.url.replace(/\/postgres$/, '/app')
    const app = new pg.Client({ connectionString: appUrl })
    await app.connect()
    await app.query('CREATE EXTENSION pg_stat_statements')
    const before = await readStatements(appUrl, 5000)
    const other = new pg.Client({ connectionString: cluster.url })
    await other.connect()
    for (let i = 0; i < 3; i++) await other.query('SELECT count(*) AS in_postgres FROM pg_class WHERE relpages > $1', [i])
    await other.end()
    for (let i = 0; i < 2; i++) await app.query('SELECT count(*) AS in_app FROM pg_class WHERE relpages > $1', [i])
    await app.end()
    const d = statementsDelta(before, await readStatements(appUrl, 5000))
    assert.deepEqual(
      d.top.filter((s) => /in_(app|postgres)/.test(s.query)).map((s) => [s.query, s.calls]),
      [['SELECT count(*) AS in_app FROM pg_class WHERE relpages > $1', 2]],
    )
  } finally {
    await cluster.close()
  }
})
