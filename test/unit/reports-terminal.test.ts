import { test } from 'node:test'
import assert from 'node:assert/strict'
import { terminal } from '../../reports/terminal.js'
import { fixture, goFixture } from '../support/report-fixture.js'

// the C1 CSI (0x9b) starts a sequence too, on terminals that honour 8-bit controls
const ANY_ESCAPE = /[\u001b\u009b]/
// these assertions read the full tables: --verbose at a wide terminal (the compact default has
// its own tests in reports-terminal-widths.test.ts)
const FULL = { verbose: true, width: 160 }

function lineWith(out: string, text: string): string {
  const line = out.split('\n').find((l) => l.includes(text))
  assert.ok(line, `no line with ${text}`)
  return line
}

test('color false: no ANSI escape anywhere', () => {
  const out = terminal.render(fixture(), { ...FULL, color: false })
  assert.doesNotMatch(out, ANY_ESCAPE)
  assert.doesNotMatch(terminal.render(fixture()), ANY_ESCAPE)
})

test('color true: colours the verdict and outcomes, and adds nothing but colour', () => {
  const plain = terminal.render(fixture(), { ...FULL, color: false })
  const colored = terminal.render(fixture(), { ...FULL, color: true })
  assert.match(colored, /\u001b\[31m/)
  assert.match(colored, /\u001b\[32m✔ PASS\u001b\[0m/)
  assert.match(colored, /\u001b\[33m▲ WARN\u001b\[0m/)
  assert.equal(colored.replace(/\u001b\[(?:0|1|31|32|33|90)m/g, ''), plain)
})

test('the escape injected by the target is stripped, its text kept', () => {
  const colored = terminal.render(fixture(), { ...FULL, color: true })
  assert.ok(!colored.includes('\u001b[31mRED'))
  assert.ok(!colored.includes(']8;;'))
  const plain = terminal.render(fixture(), { ...FULL, color: false })
  assert.match(plain, /<script>alert\(1\)<\/script> \| <img src=x/)
  assert.match(plain, /onerror=alert\(1\)> RED & `code`/)
})

test('banner: verdict, summary, partial run', () => {
  const lines = terminal.render(fixture(), { ...FULL, color: false }).split('\n')
  assert.match(lines[0]!, /^NO-GO {2}NO-GO: 3 blockers failed/)
  assert.equal(lines[1], 'PARTIAL RUN: interrupted by SIGINT')
  const go = terminal.render(goFixture(), { ...FULL, color: false })
  assert.match(go, /^GO {2}GO: all 2 blockers passed/)
  assert.doesNotMatch(go, /PARTIAL RUN/)
})

test('missing, skipped, error, not-run and off rows do not read as FAIL', () => {
  const out = terminal.render(fixture(), { ...FULL, color: false })
  const expectations: [string, string][] = [
    ['│ headers.hsts_max_age', '? MISSING'],
    ['│ backup-restore.restore_seconds', '↷ SKIPPED'],
    ['│ alerts.delivery_seconds', '! ERROR'],
    ['│ load.checkout.latency_p99', '○ off'],
    ['│ load.*.error_rate', '▲ WARN'],
  ]
  for (const [gate, label] of expectations) {
    const line = lineWith(out, gate)
    assert.ok(line.includes(label), `${gate}: ${line}`)
    assert.doesNotMatch(line, /FAIL/)
  }
  assert.match(lineWith(out, '│ headers.server =='), /✖ FAIL/)
  // gates whose check was not part of the run: one line under the table, not a row each
  assert.doesNotMatch(out, /│ page-load\.lcp/)
  assert.match(lineWith(out, 'not run ('), /not run \(1\): page-load\.lcp/)
})

test('scenario block: totals, latency and a per-step table', () => {
  const out = terminal.render(fixture(), { ...FULL, color: false })
  assert.equal(lineWith(out, 'requests 12,000'), '  requests 12,000 · iterations 4,000 · 200 req/s · errors 2.5 % (300) · VUs max 50')
  assert.equal(lineWith(out, 'latency p50 45 ms'), '  latency p50 45 ms · p95 812 ms · p99 1.45 s · max 2.3 s')
  assert.match(lineWith(out, '│ POST /cart | add │ 4,000'), /│ 50 +│ 60 ms +│ 300 ms +│ 700 ms +│ 1\.2 s +│/)
  assert.match(lineWith(out, 'requests 9,000'), /dropped 12/)
})

test('checks and files are listed', () => {
  const out = terminal.render(fixture(), { ...FULL, color: false })
  assert.match(lineWith(out, '│ backup-restore │'), /SKIPPED +│ no backup configured/)
  assert.match(lineWith(out, '│ alerts '), /ERROR/)
  assert.equal(lineWith(out, 'results.json'), '  results  .golive/runs/2024-05-14/results.json')
})

test('a huge message is cut to a bounded length', () => {
  const input = fixture()
  // words, so the cut is ours and not cli-table3 truncating one long token
  input.results.scenarios[0]!.topErrors[1]!.message = 'word '.repeat(2_000)
  const lines = terminal.render(input, { ...FULL, color: false }).split('\n')
  const baseline = terminal.render(fixture(), { ...FULL, color: false }).split('\n')
  assert.ok(lines.length < baseline.length + 6, `${lines.length} lines`)
  assert.ok(lines.some((l) => /word…/.test(l)))
})

test('gates that did not run: one line, grouped by source, regression gates together', () => {
  const input = fixture()
  const base = input.scorecard.rows.find((r) => r.outcome === 'not-run')!
  input.scorecard.rows.push(
    { ...base, gate: 'page-load.cls < 0.1', figure: 'page-load.cls', source: 'page-load' },
    { ...base, gate: 'load.*.latency_p95 rise< 10%,20ms', figure: 'load.*.latency_p95', op: 'rise<', source: 'load.*' },
    { ...base, gate: 'tls.grade drop< 1', figure: 'tls.grade', op: 'drop<', source: 'tls' },
  )
  const line = lineWith(terminal.render(input, { ...FULL, color: false }), 'not run (')
  assert.match(line, /not run \(4\): page-load \(2 gates\), regressions vs baseline \(2 gates\)$/)
})
