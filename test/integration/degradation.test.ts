// Degradation against a truth server whose latency rises with concurrency: 100 ms while at most 5
// requests are in flight, 1000 ms beyond. A ramp to 20 users starts at low load (≤ 5 users, a
// quarter of the peak) and holds 20: the truth is 1000 / 100 = 10, less the overhead a loaded
// machine adds to both ends (up to 150 ms seen here under load), and the go-live preset's
// warning (> 3) fails. A constant
// profile has no low-load period: the figure is missing, the gate says why (not run).

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { golive } from '../support/cli.js'
import { evaluate } from '../../gates/evaluate.js'
import type { Results } from '../../core/results.js'

const LOW_MS = 100
const HIGH_MS = 1000
const CROWD = 5

async function concurrencyServer() {
  let inFlight = 0
  let served = 0
  const server = createServer((req, res) => {
    inFlight++
    req.resume()
    setTimeout(
      () => {
        inFlight--
        served++
        res.end('ok')
      },
      inFlight > CROWD ? HIGH_MS : LOW_MS,
    )
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served: () => served,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

async function run(target: string, profile: unknown): Promise<Results> {
  const cwd = mkdtempSync(join(tmpdir(), 'golive-degradation-'))
  writeFileSync(join(cwd, 'ramp.json'), JSON.stringify({ name: 'ramp', profile, steps: [{ name: 'home', path: '/', check: { status: 200 } }] }))
  writeFileSync(
    join(cwd, 'golive.config.json'),
    JSON.stringify({ defaultEnv: 't', environments: { t: { baseUrl: target, scenarios: ['./ramp.json'] } }, gates: { presets: ['go-live'] } }),
  )
  const out = join(cwd, 'run')
  const r = await golive(['loadtest', '--out', out], { cwd })
  assert.notEqual(r.code, 2, r.stderr)
  return JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results
}

test('latency that rises with concurrency: degradation near the truth (10), the go-live warning fails', { timeout: 120_000 }, async (t) => {
  const server = await concurrencyServer()
  try {
    const results = await run(server.url, {
      model: 'closed',
      stages: [
        { duration: '12s', target: 20 },
        { duration: '6s', target: 20 },
      ],
      gracefulStop: '2s',
    })
    const d = results.figures['load.ramp.degradation']
    assert.ok(d, JSON.stringify(results.scenarios[0]!.unmeasured))
    t.diagnostic(`timeline [t, users, requests, p95]: ${JSON.stringify(results.scenarios[0]!.timeline.map((p) => [p.t, p.active, p.requests, p.p95]))}`)
    t.diagnostic(`degradation ${d.value} (truth ${HIGH_MS / LOW_MS}), on ${d.samples} requests`)
    // timers fire late, never early: (1000 + a) / (100 + b) for a, b in 0..150 ms
    assert.ok((d.value as number) > 4 && (d.value as number) < 11.5, `degradation ${d.value}`)
    const row = evaluate(results, results.gates).rows.find((x) => x.figure === 'load.ramp.degradation')!
    assert.deepEqual([row.outcome, row.level], ['fail', 'warn'])
  } finally {
    await server.close()
  }
})

test('a constant profile: no low-load period, the figure missing and the gate saying why', { timeout: 60_000 }, async () => {
  const server = await concurrencyServer()
  try {
    const results = await run(server.url, { model: 'closed', vus: 8, duration: '3s', gracefulStop: '2s' })
    assert.equal(results.figures['load.ramp.degradation'], undefined)
    assert.match(results.scenarios[0]!.unmeasured?.degradation ?? '', /no low-load period to compare with: the first second already had 8 of the peak 8 users/)
    const row = evaluate(results, results.gates).rows.find((x) => x.figure.endsWith('degradation'))!
    assert.equal(row.outcome, 'not-run')
    assert.match(row.why, /load\.ramp\.degradation was not measured: no low-load period/)
  } finally {
    await server.close()
  }
})
