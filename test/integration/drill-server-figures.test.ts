// Server figures during drills, against a real Prometheus (Debian) scraping an exporter whose
// values this test sets. A tiny app on loopback answers the drills' probes; its /fault/on and
// /fault/off (called by the drills' own `command` actions, curl) move a gauge through three
// phases: 0 before the fault, 1 from the fault, 2 after the rollback. Over the fault window the
// phase's maximum is exactly 1 (the window starts at the fault and ends before the rollback, yet
// Prometheus is asked after it), a constant equals what was served, the exporter's clock ends
// where the window ends, and a query with no data is missing with the query named.

import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { golive } from '../support/cli.js'
import { noPrometheus, startExporter, startPrometheus, type Exporter, type Prometheus } from '../support/prometheus-lab.js'
import { evaluate } from '../../gates/evaluate.js'
import type { CheckResult, Results } from '../../core/results.js'

const skip = noPrometheus || (!existsSync('/usr/bin/curl') && !process.env.CI ? "needs curl (the drills' command actions)" : false)

// the truth the drills move
let phase = 0
const hits: { on: number[]; off: number[] } = { on: [], off: [] }
const metrics = () => ['golive_test_value 42.5', `golive_test_phase ${phase}`, `golive_test_clock_seconds ${Date.now() / 1000}`, ''].join('\n')

const app = createServer((req, res) => {
  if (req.url === '/fault/on') {
    phase = 1
    hits.on.push(Date.now())
  }
  if (req.url === '/fault/off') {
    phase = 2
    hits.off.push(Date.now())
  }
  res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n')
})

let exporter: Exporter | undefined
let prom: Prometheus | undefined
after(async () => {
  await prom?.close()
  await exporter?.close()
  await new Promise((r) => {
    app.closeAllConnections()
    app.close(r)
  })
})

async function lab(): Promise<string> {
  if (!app.listening) await new Promise<void>((r) => app.listen(0, '127.0.0.1', r))
  exporter ??= await startExporter(metrics)
  prom ??= await startPrometheus([exporter.hostPort])
  return `http://127.0.0.1:${(app.address() as AddressInfo).port}`
}

const QUERIES = {
  value_a: { query: 'max(golive_test_value)', unit: '%' },
  phase: 'max(golive_test_phase)',
  clock: { query: 'max(golive_test_clock_seconds)', unit: 's' },
  nothing: 'max(golive_test_absent_metric)',
}

/** A project whose environments drill the app: 'fo' a failover experiment, 'rr' a rolling restart. */
function project(appUrl: string, queries: Record<string, unknown>): string {
  const cwd = mkdtempSync(join(tmpdir(), 'golive-drill-server-'))
  const probes = {
    readPath: '/health',
    write: false,
    readRps: 10,
    warmupSeconds: 1,
    minObserveSeconds: 1,
    recoverAfter: 5,
    deadlineSeconds: 30,
    rollbackTimeoutSeconds: 20,
  }
  const on = `curl -fsS ${appUrl}/fault/on`
  // the rollback waits a second first: no scrape begun inside the window answers after it
  const off = ['sleep:1', `curl -fsS ${appUrl}/fault/off`]
  const server = { prometheus: prom!.url, queries }
  writeFileSync(
    join(cwd, 'golive.config.json'),
    JSON.stringify({
      defaultEnv: 'fo',
      environments: {
        fo: {
          baseUrl: appUrl,
          allowDrills: true,
          server,
          checks: { failover: { ...probes, experiments: { flip: { fault: [on, 'sleep:4'], rollback: off } } } },
        },
        rr: { baseUrl: appUrl, allowDrills: true, server, checks: { 'rolling-restart': { ...probes, deployCommand: [on, 'sleep:4'], restore: off } } },
      },
      gates: { rules: ['failover.*.server.nothing < 1', 'rolling-restart.*.server.nothing < 1'] },
    }),
  )
  return cwd
}

interface ServerEvidence {
  from: string
  to: string
  queries: { name: string; note?: string }[]
}

/** The truths every drill's fault window must hold, for one experiment's figures and evidence. */
function assertWindow(figure: (name: string) => { value: number | string; unit?: string } | undefined, ev: ServerEvidence, faultOn: number, faultOff: number) {
  assert.deepEqual([figure('value_a')?.value, figure('value_a')?.unit, figure('value_a_mean')?.value], [42.5, '%', 42.5])
  // phase 1 was in the window, phase 2 (after the rollback) was not, though Prometheus had it when asked
  assert.equal(figure('phase')?.value, 1, 'the phase over the fault window')
  const mean = figure('phase_mean')?.value as number
  assert.ok(mean > 0 && mean <= 1, `phase_mean ${mean}`)
  // the window on the truth's clock: from just before the fault hit the app, to before the rollback did
  const from = Date.parse(ev.from),
    to = Date.parse(ev.to)
  assert.ok(from <= faultOn && faultOn - from < 3000, `window from ${ev.from}, the fault hit at ${new Date(faultOn).toISOString()}`)
  assert.ok(to >= faultOn + 4000 && to < faultOff, `window to ${ev.to}: after the fault's sleep, before the rollback at ${new Date(faultOff).toISOString()}`)
  // the exporter's clock at its last scrape in the window: within three scrape intervals of its end
  // (a loaded machine delays a scrape; a window misplaced by the fault's 4 s is still caught)
  const clock = figure('clock')?.value as number
  assert.equal(figure('clock')?.unit, 's')
  assert.ok(clock <= to / 1000 + 0.5 && clock >= to / 1000 - 3, `clock ${clock}, window end ${to / 1000}`)
  // no data: no figure, the query named
  assert.equal(figure('nothing'), undefined)
  assert.match(
    ev.queries.find((q) => q.name === 'nothing')?.note ?? '',
    /the query nothing \(max\(golive_test_absent_metric\)\) returned nothing over .* fault window/,
  )
}

test('golive drill failover: the server queries over the fault window equal what the exporter served; no data is missing and its gate fails', {
  skip,
  timeout: 120_000,
}, async () => {
  const appUrl = await lab()
  phase = 0
  hits.on.length = 0
  hits.off.length = 0
  const cwd = project(appUrl, QUERIES)
  const r = await golive(['drill', 'failover', '--out', join(cwd, 'run')], { cwd })
  assert.equal(r.code, 1, `the missing figure's blocker gate fails the drill\n${r.stderr}`)
  const result = JSON.parse(r.stdout) as CheckResult
  assert.equal(result.status, 'measured', result.reason ?? '')
  assert.deepEqual([hits.on.length, hits.off.length], [1, 1])
  const ev = (result.evidence as { experiments: { flip: { server: ServerEvidence } } }).experiments.flip.server
  assertWindow((n) => result.figures[`flip.server.${n}`], ev, hits.on[0]!, hits.off[0]!)
  assert.match(result.noData?.['flip.server.nothing'] ?? '', /golive_test_absent_metric.*failover experiment flip's fault window/)
  assert.match(r.stderr, /FAIL failover\.\*\.server\.nothing < 1: failover\.flip\.server\.nothing is missing: the query nothing/)
  // the drill's own probe figures stand beside them
  assert.equal(result.figures['flip.failed_requests']?.value, 0)
})

test("golive run with a rolling restart: rolling-restart.deploy.server.* over the deploy's window, judged like any figure", {
  skip,
  timeout: 120_000,
}, async () => {
  const appUrl = await lab()
  phase = 0
  hits.on.length = 0
  hits.off.length = 0
  const cwd = project(appUrl, QUERIES)
  const out = join(cwd, 'run')
  const r = await golive(['run', '--env', 'rr', '--out', out], { cwd })
  assert.equal(r.code, 1, r.stderr)
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results
  const rr = results.checks.find((c) => c.id === 'rolling-restart')!
  assert.equal(rr.status, 'measured', rr.reason ?? '')
  const ev = (rr.evidence as { deploy: { server: ServerEvidence } }).deploy.server
  assertWindow((n) => results.figures[`rolling-restart.deploy.server.${n}`], ev, hits.on[0]!, hits.off[0]!)
  const card = evaluate(results, results.gates)
  const row = card.rows.find((x) => x.figure === 'rolling-restart.deploy.server.nothing')
  assert.deepEqual([row?.outcome, row?.level], ['missing', 'blocker'])
  assert.match(row?.why ?? '', /golive_test_absent_metric/)
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /golive_test_absent_metric/)
  // no load ran: no server result of the load's kind
  assert.equal(
    results.checks.some((c) => c.id === 'server'),
    false,
  )
})

test('golive drill --dry-run names the queries it would ask over each fault window', { skip, timeout: 60_000 }, async () => {
  const appUrl = await lab()
  hits.on.length = 0
  const cwd = project(appUrl, QUERIES)
  const r = await golive(['drill', 'failover', '--dry-run'], { cwd })
  assert.equal(r.code, 0, r.stderr)
  assert.match(
    r.stdout,
    /server: {3}value_a, phase, clock, nothing asked of http:\/\/127\.0\.0\.1:\d+ over each experiment's fault window \(failover\.<experiment>\.server\.<name>, <name>_mean\)/,
  )
  assert.equal(hits.on.length, 0, 'a dry run acts on nothing')
})

test('a bad PromQL: golive drill exits 2 before the fault, the query and its config path named', { skip, timeout: 60_000 }, async () => {
  const appUrl = await lab()
  hits.on.length = 0
  const cwd = project(appUrl, { broken: 'sum(rate(golive_test_value[1m]' })
  const r = await golive(['drill', 'failover', '--out', join(cwd, 'run')], { cwd })
  assert.equal(r.code, 2, r.stderr)
  assert.match(r.stderr, /golive\.config\.json: environments\.fo\.server\.queries\.broken: Prometheus refused the query broken/)
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
  assert.equal(hits.on.length, 0, 'the fault never ran')
})
