// Server figures, the pure parts: the config's server block, the steady window a profile gives,
// the degradation ratio from a timeline, the pg_stat_statements delta, and how gates read a
// figure with no data (missing, never pass) and a degradation that could not be measured.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { tmpdir } from 'node:os'
import { validateConfig } from '../../core/validate-config.js'
import { ConfigError } from '../../core/errors.js'
import { compileScenario } from '../../scenarios/compile.js'
import { steadyWindow } from '../../scenarios/steady-window.js'
import { degradation } from '../../scenarios/degradation.js'
import { statementsDelta, type StatementSnapshot } from '../../checks/server/statements.js'
import { expandQuery } from '../../checks/server/prometheus.js'
import { serverQueries } from '../../checks/server/presets.js'
import { evaluate } from '../../gates/evaluate.js'
import { resolveGates } from '../../gates/presets.js'
import type { Results, TimelinePoint } from '../../core/results.js'

const opts = { file: 'golive.config.yaml', dir: tmpdir() }
const withServer = (server: unknown) => ({ environments: { staging: { baseUrl: 'http://127.0.0.1:8080', server } } })
const problem = (server: unknown): ConfigError => {
  try {
    validateConfig(withServer(server), opts)
  } catch (e) {
    assert.ok(e instanceof ConfigError)
    return e
  }
  return assert.fail('accepted')
}

test('config: server takes prometheus, queries (string or { query, unit }), presets, postgres', () => {
  const ok = withServer({
    prometheus: 'http://127.0.0.1:9090',
    presets: ['node', 'postgres'],
    queries: { queue: 'max(q)', lag: { query: 'max(l)', unit: 's' } },
    postgres: 'postgresql://u:p@127.0.0.1:5432/app',
    timeout: '5s',
  })
  assert.equal(validateConfig(ok, opts), ok)
  assert.match(
    problem({ prometheus: 'http://127.0.0.1:9090', presetz: ['node'] }).message,
    /environments\.staging\.server\.presetz: unknown property 'presetz' \(did you mean presets\?\)/,
  )
  assert.match(problem({ presets: ['nodes'] }).message, /server\.presets\[0\]: expected a query preset, one of 'node', 'process', 'postgres', got 'nodes'/)
  assert.match(problem({ queries: { 'CPU%': 'x' } }).message, /lower-case letters, digits and _/)
  assert.match(problem({ queries: { cpu: { query: 'x', unit: 'percent' } } }).message, /server\.queries\.cpu\.unit/)
  assert.match(problem({ postgres: 'mysql://x' }).message, /server\.postgres.*postgresql:\/\//s)
})

test('presets and own queries: an own query of the same name replaces the preset one; $rate_interval is four scrapes', () => {
  const q = serverQueries(['node'], { cpu_percent: { query: 'my_cpu', unit: '%' }, extra: 'x' })
  assert.deepEqual(
    q.map((x) => x.name),
    ['cpu_percent', 'memory_percent', 'disk_percent', 'open_connections', 'extra'],
  )
  assert.equal(q[0]!.query, 'my_cpu')
  assert.equal(q[0]!.preset, undefined)
  assert.equal(expandQuery('rate(x[$rate_interval]) + rate(y[$rate_interval])', 2), 'rate(x[8s]) + rate(y[8s])')
})

const plan = (profile: unknown) => compileScenario({ name: 's', profile, steps: [{ name: 'a', path: '/' }] } as never, { file: 's.ts' }).profile

test('steady window: the peak hold; a constant profile: all of it; a spike with no hold: the whole profile, said so', () => {
  assert.deepEqual(
    steadyWindow(
      plan({
        model: 'closed',
        stages: [
          { duration: '5s', target: 100 },
          { duration: '25s', target: 100 },
        ],
      }),
    ),
    { fromMs: 5000, toMs: 30_000, basis: 'the peak hold at 100 users, 5–30 s' },
  )
  assert.deepEqual(steadyWindow(plan({ model: 'closed', vus: 10, duration: '20s' })), { fromMs: 0, toMs: 20_000, basis: 'the peak hold at 10 users, 0–20 s' })
  const stress = steadyWindow(
    plan({
      model: 'closed',
      stages: [
        { duration: '10s', target: 100 },
        { duration: '20s', target: 100 },
        { duration: '10s', target: 300 },
        { duration: '20s', target: 300 },
        { duration: '10s', target: 0 },
      ],
    }),
  )
  assert.deepEqual([stress.fromMs, stress.toMs], [40_000, 60_000])
  assert.match(
    steadyWindow(
      plan({
        model: 'closed',
        stages: [
          { duration: '5s', target: 50 },
          { duration: '5s', target: 0 },
        ],
      }),
    ).basis,
    /the whole profile/,
  )
  assert.match(
    steadyWindow(
      plan({
        model: 'open',
        maxVUs: 10,
        stages: [
          { duration: '2s', target: 20 },
          { duration: '3s', target: 20 },
        ],
      }),
    ).basis,
    /20 journeys\/s, 2–5 s/,
  )
})

const sec = (t: number, active: number, p95: number, requests = 50): TimelinePoint => ({ t, requests, errors: 0, active, p50: p95 / 2, p95, max: p95 * 2 })

test('degradation: p95 at peak users ÷ p95 over the leading low-load seconds', () => {
  const timeline = [sec(0, 10, 20), sec(1, 20, 22), sec(2, 60, 50), sec(3, 100, 80), sec(4, 100, 90), sec(5, 100, 100), sec(6, 40, 30)]
  const d = degradation({ timeline })
  assert.ok('figure' in d)
  // low: seconds 0 and 1 (≤ 25 users), median p95 21; peak: 3, 4, 5, median 90
  assert.deepEqual(d.evidence.lowSeconds, [0, 1])
  assert.deepEqual(d.evidence.peakSeconds, [3, 4, 5])
  assert.equal(d.figure.value, Math.round((90 / 21) * 100) / 100)
})

test('degradation: a constant profile has no low-load period, and says so; too few low-load requests too', () => {
  const flat = degradation({ timeline: [sec(0, 100, 20), sec(1, 100, 25)] })
  assert.ok('reason' in flat)
  assert.match(flat.reason, /no low-load period to compare with: the first second already had 100 of the peak 100 users/)
  const thin = degradation({ timeline: [sec(0, 10, 20, 3), sec(1, 100, 25)] })
  assert.ok('reason' in thin)
  assert.match(thin.reason, /saw 3 requests, fewer than 20/)
})

const snap = (rows: [string, string, number, number, number][]): StatementSnapshot =>
  new Map(rows.map(([key, query, calls, totalMs, maxMs]) => [key, { key, query, calls, totalMs, maxMs }]))

test('pg_stat_statements delta: what ran between the reads, top by total time; utility statements counted, never shown', () => {
  const before = snap([
    ['1', 'SELECT * FROM products WHERE id = $1', 100, 50, 3],
    ['2', 'INSERT INTO orders VALUES ($1)', 10, 20, 5],
  ])
  const after = snap([
    ['1', 'SELECT * FROM products WHERE id = $1', 1100, 550, 4],
    ['2', 'INSERT INTO orders VALUES ($1)', 10, 20, 5],
    ['3', 'UPDATE stock SET n = n - $1 WHERE id = $2', 40, 800, 90],
    ['4', "ALTER ROLE app PASSWORD 'hunter2'", 1, 1, 1],
  ])
  const d = statementsDelta(before, after, 10)
  assert.deepEqual(
    d.top.map((t) => [t.query, t.calls, t.totalMs, t.meanMs, t.maxInWindow]),
    [
      ['UPDATE stock SET n = n - $1 WHERE id = $2', 40, 800, 20, true],
      ['SELECT * FROM products WHERE id = $1', 1000, 500, 0.5, false],
    ],
  )
  assert.deepEqual([d.statements, d.calls, d.utilityCalls], [2, 1040, 1])
  assert.doesNotMatch(JSON.stringify(d), /hunter2/)
})

function results(checks: Results['checks'], figures: Results['figures'] = {}): Results {
  return {
    schemaVersion: 1,
    run: {
      id: 'r',
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:01:00Z',
      durationMs: 1,
      partial: false,
      environment: 'e',
      target: 't',
      command: 'golive run',
      golive: '0',
      node: 'v22',
      host: { platform: 'linux', cpus: 2, memoryGiB: 4 },
    },
    figures,
    scenarios: [],
    checks,
    gates: [],
  }
}
const serverCheck = (figures: Results['checks'][number]['figures'], noData?: Record<string, string>): Results['checks'][number] => ({
  id: 'server',
  status: 'measured',
  figures,
  ...(noData ? { noData } : {}),
  evidence: null,
  startedAt: '2026-01-01T00:00:00Z',
  durationMs: 1,
})

test('gates: a figure with no data is missing with the query named, preset or not; the system preset judges the rest', () => {
  const figures = { 'server.a.cpu_percent': { value: 91, unit: '%' as const }, 'server.b.cpu_percent': { value: 12, unit: '%' as const } }
  const r = results(
    [
      serverCheck(
        { 'a.cpu_percent': figures['server.a.cpu_percent'], 'b.cpu_percent': figures['server.b.cpu_percent'] },
        { 'c.cpu_percent': 'the query cpu_percent (100 * ...) returned nothing', 'a.memory_percent': 'the query memory_percent (q) returned nothing' },
      ),
    ],
    figures,
  )
  const card = evaluate(r, resolveGates(['system'], ['server.a.memory_percent < 50%']))
  const rows = card.rows.map((x) => [x.figure, x.outcome, x.level])
  assert.deepEqual(rows.filter((x) => String(x[0]).endsWith('cpu_percent')).sort(), [
    ['server.a.cpu_percent', 'fail', 'warn'],
    ['server.b.cpu_percent', 'pass', 'warn'],
    ['server.c.cpu_percent', 'missing', 'warn'],
  ])
  const own = card.rows.find((x) => x.gate.startsWith('server.a.memory_percent'))!
  assert.deepEqual([own.outcome, own.level], ['missing', 'blocker'])
  assert.match(own.why, /the query memory_percent \(q\) returned nothing/)
  assert.equal(card.verdict, 'no-go')
})

test('gates: the system preset reads not run where no server figures were asked for', () => {
  const card = evaluate(results([]), resolveGates(['system'], []))
  assert.deepEqual(
    card.rows.map((x) => x.outcome),
    ['not-run', 'not-run', 'not-run'],
  )
  assert.equal(card.verdict, 'go')
})
