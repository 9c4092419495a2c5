// Server figures against a real Prometheus: it scrapes an exporter whose values this test sets,
// golive evaluates the queries over the scenario's steady window, and the figures equal the
// values; a query with no data is a missing figure (its gate fails, the query named); a bad
// PromQL stops golive with exit 2 before the target sees a single request.

import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { golive } from '../support/cli.js'
import { startLatencyServer } from '../support/latency-server.js'
import { noPrometheus, startExporter, startPrometheus, type Exporter, type Prometheus } from '../support/prometheus-lab.js'
import { evaluate } from '../../gates/evaluate.js'
import type { Results } from '../../core/results.js'

// the truth: what the exporter serves (node_exporter's names for the node preset)
const IDLE_SHARE = 0.25 // idle CPU seconds per second on each of two CPUs: 75 % busy
const t0 = Date.now()
const metrics = () => {
  // the counter carries the time it was read at: a busy machine that serves a scrape late then
  // moves neither the sample's time nor the rate Prometheus computes from it
  const now = Date.now()
  const idle = `${(IDLE_SHARE * (now - t0)) / 1000} ${now}`
  return [
    'golive_test_value{k="a"} 42.5',
    'golive_test_value{k="b"} 7',
    'golive_test_bytes 1234',
    `node_cpu_seconds_total{cpu="0",mode="idle"} ${idle}`,
    `node_cpu_seconds_total{cpu="1",mode="idle"} ${idle}`,
    'node_memory_MemAvailable_bytes 2.5e9',
    'node_memory_MemTotal_bytes 1e10',
    'node_filesystem_avail_bytes{fstype="ext4",mountpoint="/"} 10',
    'node_filesystem_size_bytes{fstype="ext4",mountpoint="/"} 100',
    'node_filesystem_avail_bytes{fstype="tmpfs",mountpoint="/run"} 0',
    'node_filesystem_size_bytes{fstype="tmpfs",mountpoint="/run"} 100',
    'node_netstat_Tcp_CurrEstab 17',
    '',
  ].join('\n')
}

let exporter: Exporter | undefined
let prom: Prometheus | undefined
after(async () => {
  await prom?.close()
  await exporter?.close()
})

function project(target: string, server: Record<string, unknown>, rules: string[]): string {
  const cwd = mkdtempSync(join(tmpdir(), 'golive-server-'))
  // a 2 s ramp, then 4 s at the peak: the steady window is the 4 s hold
  writeFileSync(
    join(cwd, 's.json'),
    JSON.stringify({
      name: 's',
      profile: {
        model: 'closed',
        stages: [
          { duration: '2s', target: 4 },
          { duration: '4s', target: 4 },
        ],
        gracefulStop: '2s',
      },
      steps: [{ name: 'home', path: '/', check: { status: 200 } }],
    }),
  )
  writeFileSync(
    join(cwd, 'golive.config.json'),
    JSON.stringify({
      defaultEnv: 't',
      environments: { t: { baseUrl: target, scenarios: ['./s.json'], server } },
      gates: { presets: ['system'], rules },
    }),
  )
  return cwd
}

test('the figures equal what the exporter served; a query with no data is missing, its gate fails naming it', {
  skip: noPrometheus,
  timeout: 120_000,
}, async () => {
  exporter = await startExporter(metrics)
  prom = await startPrometheus([exporter.hostPort])
  // the truth needs history: a rate() over a range reaching back before the first scrape covers
  // less than its range (Prometheus extrapolates a short way only) and reads low. The run's window
  // starts ~3 s in and rates over 4 s, so wait (bounded) for 8 s of scrapes first.
  const deadline = Date.now() + 30_000
  for (;;) {
    const q = (await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent('min(count_over_time(node_cpu_seconds_total[20s]))')}`).then(
      (r) => r.json(),
      () => null,
    )) as { data?: { result?: { value: [number, string] }[] } } | null
    if (Number(q?.data?.result?.[0]?.value[1] ?? 0) >= 8) break
    assert.ok(Date.now() < deadline, 'Prometheus did not gather 8 scrapes of the exporter within 30 s')
    await new Promise((r) => setTimeout(r, 500))
  }
  const target = await startLatencyServer([{ ms: 2, share: 100 }])
  try {
    const cwd = project(
      target.url,
      {
        prometheus: prom.url,
        presets: ['node'],
        queries: {
          value_a: { query: 'max(golive_test_value{k="a"})', unit: '%' },
          bytes: { query: 'sum(golive_test_bytes)', unit: 'B' },
          nothing: 'max(golive_test_absent_metric)',
        },
      },
      ['server.*.nothing < 1', 'load.*.error_rate < 1%'],
    )
    const out = join(cwd, 'run')
    const r = await golive(['loadtest', '--out', out], { cwd })
    assert.equal(r.code, 1, `the missing figure's blocker gate fails the run\n${r.stderr}`)
    assert.ok(target.served() > 0)
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results
    const f = results.figures
    for (const name of ['server.s.value_a', 'server.value_a']) {
      assert.deepEqual([f[name]?.value, f[name]?.unit, f[`${name}_mean`]?.value], [42.5, '%', 42.5], name)
    }
    assert.deepEqual([f['server.s.bytes']?.value, f['server.s.bytes']?.unit], [1234, 'B'])
    assert.equal(f['server.s.memory_percent']?.value, 75)
    assert.equal(f['server.s.disk_percent']?.value, 90, 'the fullest disk, tmpfs left out')
    assert.equal(f['server.s.open_connections']?.value, 17)
    // a rate over scrapes a few ms apart: within a percentage point of the truth
    const cpu = f['server.s.cpu_percent']?.value as number
    assert.ok(Math.abs(cpu - 75) < 1, `cpu_percent ${cpu}, truth 75`)
    // the window is the peak hold, not the ramp
    const server = results.checks.find((c) => c.id === 'server')!
    const w = (server.evidence as { windows: { seconds: number; basis: string }[] }).windows[0]!
    assert.match(w.basis, /peak hold at 4 users, 2–6 s/)
    assert.ok(w.seconds > 3 && w.seconds <= 4, `window ${w.seconds} s`)
    // no data: no figure, the reason names the query; the gates on it fail as missing
    assert.equal(f['server.s.nothing'], undefined)
    assert.match(server.noData?.['s.nothing'] ?? '', /the query nothing \(max\(golive_test_absent_metric\)\) returned nothing/)
    const card = evaluate(results, results.gates)
    const row = (figure: string) => card.rows.find((x) => x.figure === figure)
    assert.equal(row('server.s.nothing')?.outcome, 'missing')
    assert.equal(row('server.s.nothing')?.level, 'blocker')
    assert.match(row('server.s.nothing')?.why ?? '', /golive_test_absent_metric/)
    // the system preset judges the machine: 90 % disk is not under 90 % (a warning)
    assert.deepEqual([row('server.s.cpu_percent')?.outcome, row('server.s.memory_percent')?.outcome], ['pass', 'pass'])
    assert.deepEqual([row('server.s.disk_percent')?.outcome, row('server.s.disk_percent')?.level], ['fail', 'warn'])
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /golive_test_absent_metric/)
  } finally {
    await target.close()
  }
})

test('a system-preset figure whose query has no data fails as missing, never passes', { skip: noPrometheus, timeout: 120_000 }, async () => {
  exporter ??= await startExporter(metrics)
  prom ??= await startPrometheus([exporter.hostPort])
  const target = await startLatencyServer([{ ms: 2, share: 100 }])
  try {
    // the node preset's memory query, pointed at a metric nobody exports
    const cwd = project(
      target.url,
      { prometheus: prom.url, presets: ['node'], queries: { memory_percent: { query: 'max(golive_no_such_memory_metric)', unit: '%' } } },
      [],
    )
    const out = join(cwd, 'run')
    const r = await golive(['loadtest', '--out', out], { cwd })
    assert.equal(r.code, 0, r.stderr)
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results
    const rows = evaluate(results, results.gates).rows.filter((x) => x.figure.includes('memory_percent'))
    assert.deepEqual(
      rows.map((x) => [x.figure, x.outcome, x.level]),
      [['server.s.memory_percent', 'missing', 'warn']],
    )
    assert.match(rows[0]!.why, /golive_no_such_memory_metric/)
  } finally {
    await target.close()
  }
})

test('a bad PromQL: exit 2 before the load, the query and the config path named; the target saw no request', {
  skip: noPrometheus,
  timeout: 60_000,
}, async () => {
  exporter ??= await startExporter(metrics)
  prom ??= await startPrometheus([exporter.hostPort])
  const target = await startLatencyServer([{ ms: 2, share: 100 }])
  try {
    const cwd = project(target.url, { prometheus: prom.url, queries: { broken: 'sum(rate(golive_test_bytes[1m]' } }, [])
    const r = await golive(['loadtest', '--out', join(cwd, 'run')], { cwd })
    assert.equal(r.code, 2, r.stderr)
    assert.match(r.stderr, /golive\.config\.json: environments\.t\.server\.queries\.broken: Prometheus refused the query broken/)
    assert.match(r.stderr, /fix: /)
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
    assert.equal(target.served(), 0)
  } finally {
    await target.close()
  }
})
