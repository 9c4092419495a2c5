import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { GateLevel, GateOutcome } from '../../core/results.js'
import { actualText, expectedText, gateLabel, sourceOf, verdictLine } from '../../reports/format.js'
import { readRow } from '../../reports/outcome.js'
import { fixtureRows } from '../support/report-fixture.js'

test('readRow: every outcome and level reads as its own state and CI kind', () => {
  const cases: [GateOutcome, GateLevel, string, string][] = [
    ['pass', 'blocker', 'PASS', 'pass'],
    ['fail', 'blocker', 'FAIL', 'failure'],
    ['fail', 'warn', 'WARN', 'warning'],
    ['missing', 'blocker', 'MISSING', 'failure'],
    ['missing', 'warn', 'MISSING', 'warning'],
    ['error', 'blocker', 'ERROR', 'failure'],
    ['error', 'warn', 'ERROR', 'warning'],
    ['skipped', 'blocker', 'SKIPPED', 'failure'],
    ['skipped', 'warn', 'SKIPPED', 'warning'],
    ['not-run', 'blocker', 'not run', 'skipped'],
    ['fail', 'off', 'off', 'skipped'],
  ]
  for (const [outcome, level, label, kind] of cases) {
    const r = readRow({ outcome, level })
    assert.deepEqual([r.label, r.kind], [label, kind], `${outcome}/${level}`)
  }
})

test('expectedText adds the operator once', () => {
  assert.equal(expectedText({ op: '<', expected: '500 ms' }), '< 500 ms')
  assert.equal(expectedText({ op: '>=', expected: '>= A+' }), '>= A+')
})

test('actualText prefers the formatted actual, falls back to value and unit, else null', () => {
  assert.equal(actualText({ actual: '812 ms', actualValue: 812, unit: 'ms' }), '812 ms')
  assert.equal(actualText({ actual: null, actualValue: 1500, unit: 'ms' }), '1.5 s')
  assert.equal(actualText({ actual: null, actualValue: null }), null)
})

test('verdictLine and gateLabel', () => {
  const [first, , , tls] = fixtureRows()
  assert.equal(verdictLine(first!), 'expected < 500 ms, actual 812 ms')
  assert.equal(gateLabel(first!), 'load.*.latency_p95 < 500ms (load.checkout.latency_p95)')
  assert.equal(gateLabel(tls!), 'tls.grade >= A')
})

test('sourceOf groups load figures by scenario, matching dotted names whole', () => {
  assert.equal(sourceOf('load.checkout.latency_p95'), 'load.checkout')
  assert.equal(sourceOf('load.api.v2.latency_p95', ['api', 'api.v2']), 'load.api.v2')
  assert.equal(sourceOf('tls.grade'), 'tls')
})
