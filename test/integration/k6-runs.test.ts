// What the k6 engine runs and writes, with the real k6 binary on loopback: every shipped scenario
// runs on k6 with the embedded engine's figure names, `golive k6 build` scripts run under plain k6,
// segments and split runners add up to what the server served, and a crashed k6 gives partial
// results. Counts and names, no timings: it shares the machine (k6-engine.test.ts runs alone).
// Without k6 these tests skip locally and fail under CI (`.ci/run` installs k6).

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Results } from '../../core/results.js'
import { compileScenario } from '../../scenarios/compile.js'
import { K6Run } from '../../scenarios/engines/k6/index.js'
import { K6Samples } from '../../scenarios/engines/k6/samples.js'
import { startDemoTarget } from '../../staging/app/demo-target.js'
import { startLatencyServer } from '../support/latency-server.js'
import { golive } from '../support/cli.js'
import { k6Suite, readResults, truthScenario } from '../support/k6.js'

const suite = k6Suite()
const { needK6, configFor } = suite

const REPO_CONFIG = fileURLToPath(new URL('../../golive.config.ts', import.meta.url))
const figureNames = (r: Results) => Object.keys(r.figures).sort()

test("every shipped scenario runs on k6 against the demo target, with the embedded engine's figure names", async (t) => {
  if (!needK6(t)) return
  const out = join(suite.work, 'shipped')
  const r = await golive(['loadtest', '--engine', 'k6', '-s', 'smoke,load,stress,spike,soak', '--vus', '4', '--duration', '2s', '--out', out], {
    cwd: suite.work,
  })
  const results = readResults(out)
  assert.deepEqual(
    results.scenarios.map((s) => s.name),
    ['smoke', 'load', 'stress', 'spike', 'soak'],
    r.stderr,
  )
  for (const s of results.scenarios) {
    assert.equal(s.engine, 'k6')
    assert.equal(s.status, 'measured', `${s.name}: ${s.reason}`)
    assert.ok(s.requests > 0, `${s.name} made requests`)
    assert.equal(s.errors, 0, `${s.name}: ${JSON.stringify(s.topErrors)}`)
    assert.ok(s.steps.every((st) => st.checks.failed === 0))
    assert.ok(s.artifacts?.some((a) => a.path === `k6/${s.name}.k6.js`))
  }
  // the same scenario on the embedded engine names exactly the same figures
  const outE = join(suite.work, 'shipped-embedded')
  await golive(['loadtest', '-s', 'smoke', '--vus', '4', '--duration', '2s', '--out', outE], { cwd: suite.work })
  const smoke = (r: Results) => figureNames(r).filter((n) => n.startsWith('load.smoke.'))
  assert.ok(smoke(results).length > 20)
  assert.deepEqual(smoke(results), smoke(readResults(outE)))
  // the k6 run links k6's own dashboard report from golive's Markdown report
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /\[k6 web dashboard\]\(k6\/dashboard\.html\)/)
})

test('golive k6 build writes a script that plain `k6 run` executes', async (t) => {
  if (!needK6(t)) return
  const file = join(suite.work, 'load.k6.js')
  const b = await golive(['k6', 'build', 'load', '--out', file, '--vus', '3', '--duration', '2s', '-c', REPO_CONFIG], { cwd: suite.work })
  assert.equal(b.code, 0, b.stderr)
  const demo = await startDemoTarget()
  try {
    const run = spawnSync(
      suite.bin,
      [
        'run',
        '--quiet',
        '--no-color',
        '--address',
        '',
        '--no-usage-report',
        '-e',
        `GOLIVE_TARGET=${demo.url}`,
        '--summary-export',
        join(suite.work, 'summary.json'),
        file,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    )
    assert.equal(run.status, 0, run.stderr)
    const summary = JSON.parse(readFileSync(join(suite.work, 'summary.json'), 'utf8'))
    assert.ok(summary.metrics.http_reqs.count > 0)
    assert.equal(summary.metrics.golive_errors.value, 0)
    assert.equal(summary.metrics['http_req_duration{name:login}'] !== undefined, true, 'the step thresholds are k6 submetrics')
  } finally {
    await demo.stop()
  }
})

test('--segments 2 runs two k6 processes whose samples add up to what the server served', async (t) => {
  if (!needK6(t)) return
  const server = await startLatencyServer([
    { ms: 5, share: 90 },
    { ms: 50, share: 10 },
  ])
  try {
    const plan = compileScenario({ ...truthScenario, profile: { model: 'closed', vus: 10, duration: '3s' } }, { file: 'truth' })
    const r = await new K6Run(plan, {
      target: { origin: server.url, basePath: '', headers: [] },
      runDir: join(suite.work, 'seg'),
      thresholds: {},
      segments: 2,
      file: 'truth',
    }).run()
    assert.equal(r.status, 'measured', r.reason ?? '')
    assert.deepEqual(r.engineDetails?.exitCodes, [0, 0])
    assert.equal(r.requests, server.served())
    assert.equal(r.latency!.count, server.served())
    assert.equal(r.vusMax, 10, 'the two halves of 10 users add up to 10')
  } finally {
    await server.close()
  }
})

test('a k6 that dies mid-run gives partial results and its stderr tail; a missing k6 says how to install it', async (t) => {
  if (!needK6(t)) return
  const server = await startLatencyServer([{ ms: 5, share: 100 }])
  const wrapper = join(suite.work, 'dying-k6')
  // the real k6, killed two seconds into a ten-second run
  const real = suite.bin
  writeFileSync(
    wrapper,
    `#!/bin/sh\n[ "$1" = version ] && exec "${real}" "$@"\n"${real}" "$@" & pid=$!\nsleep 2\necho "fatal: the runner ran out of memory" >&2\nkill -9 $pid\nexit 137\n`,
  )
  chmodSync(wrapper, 0o755)
  try {
    const dir = configFor(server.url, 'load.*.latency_p95 < 1s')
    writeFileSync(join(dir, 'truth.ts'), `export default ${JSON.stringify({ ...truthScenario, profile: { model: 'closed', vus: 5, duration: '10s' } })}\n`)
    const r = await golive(['loadtest', '--engine', 'k6', '--out', join(dir, 'out')], { cwd: dir, env: { K6_BINARY: wrapper } })
    assert.equal(r.code, 1, 'a partial run is never go')
    const res = readResults(join(dir, 'out'))
    const s = res.scenarios[0]!
    assert.equal(s.status, 'partial')
    assert.match(s.reason ?? '', /k6 exited with code 137: fatal: the runner ran out of memory/)
    assert.ok(s.requests > 0 && s.requests < server.served() + 1, 'what was measured before the crash is kept')
    assert.equal(res.run.partial, true)

    const missing = await golive(['loadtest', '--engine', 'k6'], { cwd: dir, env: { K6_BINARY: join(suite.work, 'no-such-k6') } })
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /K6_BINARY=.*no-such-k6 is not an executable file/)
    assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace')
  } finally {
    await server.close()
  }
})

test('a run split over k6 runners that push to Prometheus is gated from Prometheus like a local run', async (t) => {
  if (!needK6(t)) return
  const prometheus = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' }).stdout.trim()
  if (!prometheus) {
    if (process.env.CI) assert.fail('prometheus is required under CI (apt-get install prometheus)')
    return t.skip('prometheus is not installed (apt-get install prometheus)')
  }
  const dir = mkdtempSync(join(suite.work, 'prom-'))
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\n')
  const port = 19000 + Math.floor(Math.random() * 900)
  const prom = spawn(
    prometheus,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--enable-feature=native-histograms',
    ],
    { stdio: 'ignore' },
  )
  const server = await startLatencyServer([
    { ms: 5, share: 80 },
    { ms: 60, share: 20 },
  ])
  try {
    const promUrl = `http://127.0.0.1:${port}`
    for (
      let i = 0;
      i < 100 &&
      !(await fetch(`${promUrl}/-/ready`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    )
      await new Promise((r) => setTimeout(r, 100))
    writeFileSync(join(dir, 'truth.ts'), `export default ${JSON.stringify({ ...truthScenario, profile: { model: 'closed', vus: 10, duration: '4s' } })}\n`)
    const script = join(dir, 'truth.k6.js')
    const b = await golive(['k6', 'build', join(dir, 'truth.ts'), '--out', script], { cwd: dir })
    assert.equal(b.code, 0, b.stderr)
    // two runners, one execution segment each, as k6-operator starts them
    const runners = [
      ['0:1/2', 'r1'],
      ['1/2:1', 'r2'],
    ].map(
      ([segment, runner]) =>
        new Promise<number | null>((resolve) => {
          const p = spawn(
            suite.bin,
            [
              'run',
              '--quiet',
              '--no-color',
              '--address',
              '',
              '--no-usage-report',
              '--execution-segment',
              segment!,
              '--execution-segment-sequence',
              '0,1/2,1',
              '-o',
              'experimental-prometheus-rw',
              '--out',
              `json=${join(dir, `${runner}.json`)}`,
              script,
            ],
            {
              stdio: 'ignore',
              env: {
                ...process.env,
                GOLIVE_TARGET: server.url,
                GOLIVE_TESTID: 'golive-test',
                GOLIVE_RUNNER: runner,
                K6_PROMETHEUS_RW_SERVER_URL: `${promUrl}/api/v1/write`,
                K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true',
                K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
              },
            },
          )
          p.on('exit', resolve)
        }),
    )
    assert.deepEqual(await Promise.all(runners), [0, 0])
    const g = await golive(['gate', '--prometheus', promUrl, '--testid', 'golive-test', '--scenario', 'truth', '--format', 'json', '--out', join(dir, 'out')], {
      cwd: dir,
    })
    assert.equal(g.code, 0, g.stderr)
    const s = readResults(join(dir, 'out')).scenarios[0]!
    // counts are exact: summed over the runners
    assert.equal(s.requests, server.served())
    assert.equal(s.vusMax, 10)
    // percentiles come from native histogram buckets: within 10 % of the exact ones over the same samples
    const local = new K6Samples([{ name: 'get', method: 'GET' }])
    for (const r of ['r1', 'r2']) for (const l of readFileSync(join(dir, `${r}.json`), 'utf8').split('\n')) local.line(l)
    const exact = local.totals().latency!
    assert.equal(exact.count, s.latency!.count)
    t.diagnostic(`requests ${s.requests}; p95 from Prometheus ${s.latency!.p95} ms vs exact ${exact.p95} ms; p50 ${s.latency!.p50} vs ${exact.p50} ms`)
    assert.ok(Math.abs(s.latency!.p95 - exact.p95) <= exact.p95 * 0.1, `Prometheus p95 ${s.latency!.p95} ms vs exact ${exact.p95} ms`)
    assert.ok(Math.abs(s.latency!.p50 - exact.p50) <= exact.p50 * 0.1, `Prometheus p50 ${s.latency!.p50} ms vs exact ${exact.p50} ms`)
  } finally {
    prom.kill('SIGKILL')
    await server.close()
  }
})
