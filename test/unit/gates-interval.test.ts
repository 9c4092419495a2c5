// Gates on a figure with an interval (docs/gates.md): the side decides (pessimistic by default
// for blockers, value for warnings), the row says "marginal" when the target lies inside the
// interval, and every report shows it.

import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { evaluate } from '../../gates/evaluate.js'
import { GateParseError, parseGate } from '../../gates/parse.js'
import { readRow } from '../../reports/outcome.js'
import { actualText } from '../../reports/format.js'
import { junit } from '../../reports/junit.js'
import type { Figure, Results } from '../../core/results.js'

function results(figure: Figure): Results {
  return {
    schemaVersion: 1,
    run: {
      id: 'r',
      startedAt: '2024-01-01T00:00:00Z',
      finishedAt: '2024-01-01T00:01:00Z',
      durationMs: 1,
      partial: false,
      environment: 'e',
      target: 't',
      command: 'c',
      golive: '0',
      node: 'v20',
      host: { platform: 'linux', cpus: 2, memoryGiB: 1 },
    },
    figures: { 'backup-restore.projected_restore_seconds': figure },
    scenarios: [],
    checks: [{ id: 'backup-restore', status: 'measured', figures: {}, evidence: null, startedAt: '2024-01-01T00:00:00Z', durationMs: 1 }],
    gates: [],
  }
}
const F = 'backup-restore.projected_restore_seconds'
const straddling: Figure = { value: 3300, unit: 's', low: 2900, high: 3800, samples: 12 }
const row = (figure: Figure, gate: string) => evaluate(results(figure), [parseGate(gate)]).rows[0]!

describe('gates on an interval', () => {
  it('a blocker judges the pessimistic end by default: fails, and says marginal', () => {
    const r = row(straddling, `${F} < 3600`)
    assert.equal(r.outcome, 'fail')
    assert.equal(r.marginal, true)
    assert.deepEqual(r.interval, { low: 2900, high: 3800, samples: 12, side: 'pessimistic' })
    assert.match(
      evaluate(results(straddling), [parseGate(`${F} < 3600`)]).summary,
      /^NO-GO: 1 blocker failed \(backup-restore.projected_restore_seconds\); 1 marginal/,
    )
    assert.match(r.why, /3800 s \(the pessimistic end of 2900 s–3800 s, 12 samples; value 3300 s\) is over the 3600 s target; marginal/)
  })

  it('a warning judges the value by default; optimistic and value sides can be chosen', () => {
    assert.equal(row(straddling, `${F} < 3600 warn`).outcome, 'pass')
    assert.equal(row(straddling, `${F} < 3600 warn`).interval?.side, 'value')
    assert.equal(row(straddling, `${F} < 3600 blocker optimistic`).outcome, 'pass')
    assert.equal(row(straddling, `${F} < 3600 blocker value`).outcome, 'pass')
    assert.equal(row(straddling, `${F} < 3000 blocker value`).outcome, 'fail')
    assert.equal(row(straddling, `${F} < 2800 blocker optimistic`).outcome, 'fail')
  })

  it('an interval clear of the target is not marginal, whatever the side', () => {
    const clear = { ...straddling, low: 3100, high: 3500 }
    const r = row(clear, `${F} < 3600`)
    assert.equal(r.outcome, 'pass')
    assert.equal(r.marginal, undefined)
    assert.equal(row(clear, `${F} < 3000`).outcome, 'fail')
    assert.equal(row(clear, `${F} < 3000`).marginal, undefined)
  })

  it('every operator: the pessimistic side needs the whole interval, the optimistic side some of it', () => {
    const cases: [string, boolean, boolean][] = [
      ['> 3000', false, true],
      ['>= 2900', true, true],
      ['<= 3800', true, true],
      ['== 3300', false, true],
      ['!= 3300', false, true],
      ['!= 4000', true, true],
      ['> 4000', false, false],
    ]
    for (const [t, pessimistic, optimistic] of cases) {
      assert.equal(row(straddling, `${F} ${t}`).outcome, pessimistic ? 'pass' : 'fail', `${t} pessimistic`)
      assert.equal(row(straddling, `${F} ${t} blocker optimistic`).outcome, optimistic ? 'pass' : 'fail', `${t} optimistic`)
    }
  })

  it('units convert on both ends (a duration target against seconds)', () => {
    assert.equal(row(straddling, `${F} < 1h`).outcome, 'fail')
    assert.equal(row(straddling, `${F} < 65m`).outcome, 'pass')
  })

  it('a figure without an interval is judged as before, with no interval on the row', () => {
    const r = row({ value: 3300, unit: 's' }, `${F} < 3600`)
    assert.equal(r.outcome, 'pass')
    assert.equal(r.interval, undefined)
    assert.equal(r.marginal, undefined)
  })

  it('side is parsed in both forms and a wrong one is refused with the fix', () => {
    assert.equal(parseGate(`${F} < 3600 warn pessimistic`).side, 'pessimistic')
    assert.equal(parseGate(`${F} < 3600 optimistic`).side, 'optimistic')
    assert.equal(parseGate(`${F} < 3600 optimistic`).level, 'blocker')
    assert.equal(parseGate({ figure: F, op: '<', target: 3600, side: 'value' }).side, 'value')
    assert.throws(
      () => parseGate({ figure: F, op: '<', target: 3600, side: 'worst' } as never),
      (e: unknown) => e instanceof GateParseError && /unknown side 'worst'/.test(e.message) && /pessimistic, optimistic, value/.test(e.message),
    )
    assert.throws(() => parseGate(`${F} < 3600 warn sideways`), GateParseError)
  })
})

describe('reports show marginal rows', () => {
  it('the label, the interval beside the actual, and JUnit', () => {
    const r = row(straddling, `${F} < 3600`)
    assert.equal(readRow(r).label, 'FAIL (marginal)')
    assert.equal(actualText(r), '3300 s [2900 s–3800 s, 12 samples]')
    const passing = row(straddling, `${F} < 3600 blocker optimistic`)
    assert.equal(readRow(passing).label, 'PASS (marginal)')
    const res = results(straddling)
    const xml = junit.render({ results: res, scorecard: evaluate(res, [parseGate(`${F} < 3600`), parseGate(`${F} < 3600 blocker optimistic`)]) } as never)
    assert.match(xml, /failure message="marginal: expected &lt; 3600 s, actual 3300 s \[2900 s–3800 s, 12 samples\]"/)
    assert.match(xml, /<system-out>MARGINAL: /)
  })
})
