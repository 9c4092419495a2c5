// Setup/teardown per user, before/after per run, a weighted mix, a group and custom metrics, on
// both engines against a server that counts: the server's counts are the truth the figures and
// each other engine must match. Without k6 the k6 half skips locally and fails under CI.

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { K6Threshold, ScenarioResult } from '../../core/results.js'
import { compileScenario } from '../../scenarios/compile.js'
import type { Scenario } from '../../scenarios/dsl.js'
import { EmbeddedRun } from '../../scenarios/engines/embedded/run.js'
import { K6Run, findK6 } from '../../scenarios/engines/k6/index.js'
import { scenarioFigures } from '../../scenarios/figures.js'
import { startJourneyServer, type JourneyCounts } from '../support/journey-server.js'
import { k6Thresholds } from '../../gates/k6-thresholds.js'
import { parseGate } from '../../gates/parse.js'
import { thresholdFlow } from '../../scenarios/compile-flow.js'

const VUS = 8
const G1_MS = 40,
  G2_MS = 60,
  THINK_MS = 150

let k6: string | null = null
let work: string
before(() => {
  work = mkdtempSync(join(tmpdir(), 'golive-journeys-'))
  try {
    k6 = findK6()
  } catch (e) {
    if (process.env.CI) throw new Error(`k6 is required under CI: ${(e as Error).message}`)
  }
})
after(() => rmSync(work, { recursive: true, force: true }))

const flowScenario = (duration: string): Scenario => ({
  name: 'flow',
  profile: { model: 'closed', vus: VUS, duration },
  pacing: '20ms',
  before: [{ name: 'make-run', method: 'POST', path: '/before', capture: { runId: { json: '$.runId' } } }],
  setup: [{ name: 'login', method: 'POST', path: '/setup?vu={{__VU}}&run={{runId}}', capture: { token: { json: '$.token' } } }],
  journeys: [
    { name: 'a', weight: 3, steps: [{ name: 'a', path: '/a?token={{token}}&run={{runId}}', metric: { name: 'n', from: { json: '$.n' }, type: 'counter' } }] },
    {
      name: 'b',
      weight: 1,
      steps: [
        {
          name: 'g1',
          path: '/g1',
          group: 'checkout',
          thinkTime: `${THINK_MS}ms`,
          metric: { name: 'ok', from: { json: '$.missing' }, type: 'rate' },
          check: { status: 200 },
        },
        { name: 'g2', path: '/g2', group: 'checkout', metric: { name: 'total', from: { json: '$.total' }, type: 'trend' } },
      ],
    },
  ],
  teardown: [{ name: 'logout', path: '/teardown?token={{token}}' }],
  after: [{ name: 'cleanup', path: '/after?run={{runId}}' }],
})

/** `stopWhen`: stop the run (as Ctrl-C does) once the server's counts say so */
async function run(engine: 'embedded' | 'k6', s: Scenario, stopWhen?: (c: JourneyCounts) => boolean): Promise<{ r: ScenarioResult; c: JourneyCounts }> {
  const server = await startJourneyServer({ g1Ms: G1_MS, g2Ms: G2_MS })
  const stop = new AbortController()
  const signal = stopWhen ? stop.signal : undefined
  const poll =
    stopWhen &&
    setInterval(() => {
      if (stopWhen(server.counts)) {
        clearInterval(poll)
        stop.abort()
      }
    }, 50)
  try {
    const plan = compileScenario(s, { file: 'flow.ts' })
    const target = { origin: server.url, basePath: '', headers: [] as [string, string][] }
    const r =
      engine === 'k6'
        ? await new K6Run(plan, { target, runDir: join(work, `${engine}-${Date.now()}`), thresholds: thresholds(plan), file: 'flow.ts', signal }).run()
        : await new EmbeddedRun(plan, { target, workers: 2, signal }).run()
    return { r, c: { ...server.counts } }
  } finally {
    if (poll) clearInterval(poll)
    await server.close()
  }
}

// gates on the flow's figures, as k6 thresholds: k6 must accept them (a bad one exits 104) and,
// as they hold, exit 0
const GATES = [
  'load.flow.group.checkout.duration_p95 < 60s',
  'load.flow.metric.n_count > 0',
  'load.flow.metric.total_p95 < 100000',
  'load.flow.journey.a.iterations > 0',
  'load.flow.latency_p95 < 60s',
  'load.flow.requests > 0',
]
function thresholds(plan: ReturnType<typeof compileScenario>): Record<string, K6Threshold[]> {
  const t = k6Thresholds(
    GATES.map((g) => parseGate(g)),
    plan.name,
    plan.steps.map((s) => s.name),
    thresholdFlow(plan),
  )
  assert.deepEqual(t.notExpressed, [])
  return t.thresholds
}

function percentile(values: number[], p: number): number {
  const v = [...values].sort((a, b) => a - b)
  return v[Math.max(0, Math.ceil((p / 100) * v.length) - 1)]!
}

const counted: Partial<Record<'embedded' | 'k6', JourneyCounts>> = {}

for (const engine of ['embedded', 'k6'] as const) {
  test(`${engine}: setup and teardown once per user, before and after once, a 3:1 mix, a group's time and custom metrics match what the server counted`, async (t) => {
    if (engine === 'k6' && !k6) return t.skip('k6 is not installed: npm run install-k6')
    const { r, c } = await run(engine, flowScenario('20s'))
    assert.equal(r.status, 'measured', r.reason ?? '')
    if (engine === 'k6') {
      assert.deepEqual(r.engineDetails?.exitCodes, [0], 'k6 took the flow thresholds, and they held')
      assert.ok(Object.keys(r.engineDetails!.thresholds!).includes('golive_group_duration{group:checkout}'))
      assert.ok(
        Object.keys(r.engineDetails!.thresholds!).includes('http_req_duration{golive_phase:journey}'),
        'the totals leave the once-only steps out on k6 too',
      )
    }
    assert.equal(c.refused, 0, `the server refused requests (a capture did not reach a user): ${JSON.stringify(r.topErrors)}`)
    // per user and per run, exactly
    assert.equal(c.setup, VUS, 'one setup per user')
    assert.equal(c.teardown, VUS, 'one teardown per user')
    assert.deepEqual([...c.tornDown].sort(), [...c.issued].sort(), 'each user tore down with its own setup token')
    assert.equal(c.before, 1)
    assert.equal(c.after, 1)
    const f = scenarioFigures(r)
    assert.equal(f['load.flow.setup.requests']!.value, VUS)
    assert.equal(f['load.flow.teardown.requests']!.value, VUS)
    assert.equal(f['load.flow.before.requests']!.value, 1)
    assert.equal(f['load.flow.after.requests']!.value, 1)
    // once-only requests are not the journeys' requests
    assert.equal(r.requests, c.a + c.g1 + c.g2, "the totals hold the journeys' requests only")
    assert.equal(r.latency!.count, c.a + c.g1 + c.g2)

    // the mix: each iteration one journey, 3:1 within ±10 % over a few hundred journeys
    const a = f['load.flow.journey.a.iterations']!.value as number,
      b = f['load.flow.journey.b.iterations']!.value as number
    assert.equal(a, c.a, "journey a's iterations are the server's /a requests")
    assert.equal(b, c.g2, "journey b's iterations are the server's /g2 requests")
    assert.ok(a + b >= 300, `enough journeys: ${a + b}`)
    const share = a / (a + b)
    assert.ok(Math.abs(share - 0.75) <= 0.075, `journey a's share ${share.toFixed(3)} is not 0.75 ± 10 %`)
    assert.equal(a + b, r.iterations)
    assert.equal(f['load.flow.journey.b.requests']!.value, c.g1 + c.g2)

    // the group: g1 + g2 as the server delayed them, the think time between them left out
    const g = r.groups!.find((x) => x.name === 'checkout')!
    assert.equal(g.count, c.g2, 'one duration per b journey')
    const truth = G1_MS + G2_MS
    // never below what the server spent; the quickest as quick as the server (had the think time
    // counted, none would be under truth + THINK_MS); the median is left to the machine's load
    assert.ok(
      g.duration!.min >= truth - 1 && g.duration!.min <= truth + 20,
      `group min ${g.duration!.min} ms vs served ${truth} ms (think time ${THINK_MS} ms must not count)`,
    )
    assert.equal(f['load.flow.group.checkout.duration_p95']!.unit, 'ms')

    // custom metrics: the values the server sent
    assert.equal(f['load.flow.metric.n_count']!.value, c.nSum, 'a counter sums the served values')
    assert.equal(f['load.flow.metric.total_count']!.value, c.totals.length)
    const p95 = f['load.flow.metric.total_p95']!.value as number
    const served = percentile(c.totals, 95)
    assert.ok(Math.abs(p95 - served) <= served * 0.002, `trend p95 ${p95} vs served ${served}`)
    assert.ok(Math.abs((f['load.flow.metric.total_max']!.value as number) - Math.max(...c.totals)) <= Math.max(...c.totals) * 0.002)
    // a metric whose value is missing is a failed check of its step, with the reason
    assert.equal(f['load.flow.metric.ok_count']!.value, 0)
    assert.ok(
      r.topErrors.some((e) => e.step === 'g1' && /metric ok: \$\.missing not found/.test(e.message)),
      JSON.stringify(r.topErrors),
    )
    counted[engine] = c
  })
}

test('both engines give the same server-side counts for setup, teardown, before and after', (t) => {
  if (!counted.embedded || !counted.k6) return t.skip('needs both engine runs')
  for (const k of ['setup', 'teardown', 'before', 'after', 'refused'] as const) assert.equal(counted.k6[k], counted.embedded[k], k)
})

for (const engine of ['embedded', 'k6'] as const) {
  test(`${engine}: after runs once when the run is stopped early (Ctrl-C / SIGTERM)`, async (t) => {
    if (engine === 'k6' && !k6) return t.skip('k6 is not installed: npm run install-k6')
    // stopped once every user has set up and some journeys ran
    const { r, c } = await run(engine, flowScenario('60s'), (n) => n.setup === VUS && n.a >= 20)
    assert.equal(r.status, 'partial')
    assert.ok(r.durationMs < 40_000, `stopped early: ${r.durationMs} ms`)
    assert.equal(c.before, 1)
    assert.equal(c.after, 1, 'after ran once after the stop')
    assert.equal(c.setup, VUS)
  })
}
