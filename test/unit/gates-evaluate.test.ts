import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { evaluate } from '../../gates/evaluate.js'
import { GateParseError, parseGate } from '../../gates/parse.js'
import type { CheckResult, Figure, GateSpec, Results, ScenarioResult, ScorecardRow } from '../../core/results.js'

// ---- small Results builders ----

type ScenarioSpec = string | { name: string; status?: ScenarioResult['status']; reason?: string }
type CheckSpec = string | { id: string; status?: CheckResult['status']; reason?: string }

function makeResults(opts: { figures?: Record<string, Figure>; scenarios?: ScenarioSpec[]; checks?: CheckSpec[]; partial?: string } = {}): Results {
  const scenarios = (opts.scenarios ?? []).map((s): ScenarioResult => {
    const { name, status = 'measured', reason } = typeof s === 'string' ? { name: s } : s
    return {
      name,
      status,
      ...(reason ? { reason } : {}),
      engine: 'embedded',
      startedAt: '2024-01-01T00:00:00Z',
      durationMs: 1000,
      profile: {},
      coordinatedOmission: 'corrected',
      requests: 10,
      errors: 0,
      iterations: 10,
      droppedIterations: 0,
      vusMax: 1,
      bytesReceived: 0,
      statuses: {},
      latency: null,
      histogram: null,
      steps: [],
      timeline: [],
      topErrors: [],
    }
  })
  const checks = (opts.checks ?? []).map((c): CheckResult => {
    const { id, status = 'measured', reason } = typeof c === 'string' ? { id: c } : c
    return { id, status, ...(reason ? { reason } : {}), figures: {}, evidence: null, startedAt: '2024-01-01T00:00:00Z', durationMs: 5 }
  })
  return {
    schemaVersion: 1,
    run: {
      id: 'run-1',
      startedAt: '2024-01-01T00:00:00Z',
      finishedAt: '2024-01-01T00:01:00Z',
      durationMs: 60_000,
      partial: opts.partial !== undefined,
      ...(opts.partial !== undefined ? { partialReason: opts.partial } : {}),
      environment: 'staging',
      target: 'https://staging.example.com',
      command: 'golive run',
      golive: '0.1.0',
      node: 'v20',
      host: { platform: 'linux', cpus: 4, memoryGiB: 8 },
    },
    figures: opts.figures ?? {},
    scenarios,
    checks,
    gates: [],
  }
}

const ms = (value: number): Figure => ({ value, unit: 'ms' })
const pct = (value: number): Figure => ({ value, unit: '%' })
const count = (value: number): Figure => ({ value, unit: 'count' })
const grade = (value: string): Figure => ({ value, unit: 'grade' })

const gates = (...specs: string[]): GateSpec[] => specs.map((s) => parseGate(s, 'config'))
const only = (rows: ScorecardRow[]): ScorecardRow => {
  assert.equal(rows.length, 1, `expected one row, got ${rows.map((r) => r.figure).join(', ')}`)
  return rows[0]!
}
const judge = (figure: Figure, gate: string, name = 'load.smoke.latency_p95'): ScorecardRow =>
  only(evaluate(makeResults({ figures: { [name]: figure }, scenarios: ['smoke'], checks: ['tls'] }), gates(gate)).rows)

// ---- tests ----

describe('evaluate: rows', () => {
  it('a passing row carries every field', () => {
    const card = evaluate(makeResults({ figures: { 'load.smoke.latency_p95': ms(312.4) }, scenarios: ['smoke'] }), gates('load.*.latency_p95 < 500ms'))
    assert.deepEqual(card.rows, [
      {
        gate: 'load.*.latency_p95 < 500ms',
        figure: 'load.smoke.latency_p95',
        op: '<',
        expected: '< 500 ms',
        actual: '312 ms',
        actualValue: 312.4,
        unit: 'ms',
        level: 'blocker',
        outcome: 'pass',
        why: 'p95 312 ms is under the 500 ms target',
        source: 'load.smoke',
      },
    ])
    assert.equal(card.verdict, 'go')
    assert.deepEqual(card.counts, { pass: 1, fail: 0, warn: 0, off: 0 })
    assert.equal(card.summary, 'GO: 1 gate passed')
    assert.equal(card.partial, false)
  })

  it('a figure beyond its target fails the run', () => {
    const card = evaluate(makeResults({ figures: { 'load.smoke.latency_p95': ms(612) }, scenarios: ['smoke'] }), gates('load.*.latency_p95 < 500ms'))
    const row = only(card.rows)
    assert.equal(row.outcome, 'fail')
    assert.equal(row.why, 'p95 612 ms is over the 500 ms target')
    assert.equal(card.verdict, 'no-go')
    assert.equal(card.summary, 'NO-GO: 1 blocker failed (load.smoke.latency_p95)')
  })

  it('each operator at and around its boundary', () => {
    const cases: [string, number, 'pass' | 'fail'][] = [
      ['< 500ms', 500, 'fail'],
      ['< 500ms', 499, 'pass'],
      ['<= 500ms', 500, 'pass'],
      ['<= 500ms', 501, 'fail'],
      ['> 500ms', 500, 'fail'],
      ['> 500ms', 501, 'pass'],
      ['>= 500ms', 500, 'pass'],
      ['>= 500ms', 499, 'fail'],
      ['== 500ms', 500, 'pass'],
      ['== 500ms', 501, 'fail'],
      ['!= 500ms', 500, 'fail'],
      ['!= 500ms', 501, 'pass'],
    ]
    for (const [gate, value, outcome] of cases) {
      assert.equal(judge(ms(value), `load.smoke.latency_p95 ${gate}`).outcome, outcome, `${value} ${gate}`)
    }
  })

  it("'2s' against a ms figure", () => {
    const pass = judge(ms(1500), 'load.smoke.latency_max < 2s', 'load.smoke.latency_max')
    assert.equal(pass.outcome, 'pass')
    assert.equal(pass.expected, '< 2 s')
    assert.equal(pass.why, 'max latency 1.5 s is under the 2 s target')
    assert.equal(judge(ms(2500), 'load.smoke.latency_max < 2s', 'load.smoke.latency_max').outcome, 'fail')
  })

  it('a duration against a figure in seconds', () => {
    const name = 'backup-restore.restore_seconds'
    assert.equal(judge({ value: 41.7, unit: 's' }, `${name} < 1m`, name).outcome, 'pass')
    assert.equal(judge({ value: 75, unit: 's' }, `${name} < 1m`, name).outcome, 'fail')
  })

  it("'0.1%' against an error rate in %", () => {
    const row = judge(pct(0.05), 'load.smoke.error_rate < 0.1%', 'load.smoke.error_rate')
    assert.equal(row.outcome, 'pass')
    assert.equal(row.expected, '< 0.1 %')
    assert.equal(row.actual, '0.05 %')
    assert.equal(row.why, 'error rate 0.05 % is under the 0.1 % target')
    assert.equal(judge(pct(0.2), 'load.smoke.error_rate < 0.1%', 'load.smoke.error_rate').outcome, 'fail')
  })

  it('grades compare by order', () => {
    const g = (actual: string, gate: string) => judge(grade(actual), `tls.grade ${gate}`, 'tls.grade').outcome
    assert.equal(g('A', '>= A+'), 'fail')
    assert.equal(g('A+', '>= A'), 'pass')
    assert.equal(g('A-', '>= A'), 'fail')
    assert.equal(g('B+', '> B'), 'pass')
    assert.equal(g('B', '>= B+'), 'fail')
    assert.equal(g('T', '>= F'), 'fail')
    assert.equal(g('M', '< T'), 'pass')
    const row = judge(grade('A'), 'tls.grade >= A+', 'tls.grade')
    assert.equal(row.why, 'grade A is below the A+ target')
    assert.equal(row.expected, '>= A+')
    assert.equal(row.source, 'tls')
  })

  it('a unit mismatch is an error row, never a pass', () => {
    const card = evaluate(makeResults({ figures: { 'load.smoke.error_rate': pct(0.05) }, scenarios: ['smoke'] }), gates('load.*.error_rate < 500ms'))
    const row = only(card.rows)
    assert.equal(row.outcome, 'error')
    assert.match(row.why, /units disagree: target 500ms is a duration but load\.smoke\.error_rate is a percentage/)
    assert.equal(row.actual, '0.05 %')
    assert.equal(card.verdict, 'no-go')
    assert.equal(card.counts.fail, 1)
  })

  it('a grade target against a number is an error row', () => {
    const row = judge(count(97), 'lighthouse.score >= A', 'lighthouse.score')
    assert.equal(row.outcome, 'error')
    assert.match(row.why, /units disagree/)
  })
})

describe('evaluate: wildcards and missing figures', () => {
  it('one row per scenario a wildcard matches, each judged on its own', () => {
    const card = evaluate(
      makeResults({
        scenarios: ['smoke', 'checkout', 'search'],
        figures: {
          'load.smoke.latency_p95': ms(120),
          'load.checkout.latency_p95': ms(640),
          'load.search.latency_p95': ms(300),
          // '*' is exactly one segment: neither a deeper path nor a longer one matches
          'load.search.steps.latency_p95': ms(9000),
          'load.search.latency_p95.hdr': ms(9000),
        },
      }),
      gates('load.*.latency_p95 < 500ms'),
    )
    assert.deepEqual(
      card.rows.map((r) => [r.figure, r.outcome]),
      [
        ['load.checkout.latency_p95', 'fail'],
        ['load.smoke.latency_p95', 'pass'],
        ['load.search.latency_p95', 'pass'],
      ],
    )
    assert.ok(card.rows.every((r) => r.gate === 'load.*.latency_p95 < 500ms'))
    assert.equal(card.verdict, 'no-go')
    assert.deepEqual(card.counts, { pass: 2, fail: 1, warn: 0, off: 0 })
  })

  it('a named figure that is not in results.json fails as missing', () => {
    const card = evaluate(makeResults({ scenarios: ['checkout'] }), gates('load.checkout.latency_p95 < 500ms'))
    const row = only(card.rows)
    assert.equal(row.outcome, 'missing')
    assert.equal(row.why, 'load.checkout.latency_p95 was not measured: no figure by that name in results.json')
    assert.equal(row.actual, null)
    assert.equal(row.actualValue, null)
    assert.equal(row.expected, '< 500 ms')
    assert.equal(card.verdict, 'no-go')
  })

  it('a wildcard that matches nothing is one missing row, not a pass', () => {
    const card = evaluate(makeResults(), gates('load.*.latency_p95 < 500ms'))
    const row = only(card.rows)
    assert.equal(row.figure, 'load.*.latency_p95')
    assert.equal(row.outcome, 'missing')
    assert.match(row.why, /nothing matched load\.\*\.latency_p95/)
    assert.equal(card.verdict, 'no-go')
    assert.equal(card.counts.pass, 0)
    assert.equal(card.counts.fail, 1)
  })

  it('a scenario that ran without the figure shows as missing beside the ones that have it', () => {
    const card = evaluate(
      makeResults({ scenarios: ['smoke', 'checkout'], figures: { 'load.smoke.latency_p95': ms(100) } }),
      gates('load.*.latency_p95 < 500ms'),
    )
    assert.deepEqual(
      card.rows.map((r) => [r.figure, r.outcome]),
      [
        ['load.checkout.latency_p95', 'missing'],
        ['load.smoke.latency_p95', 'pass'],
      ],
    )
    assert.equal(card.verdict, 'no-go')
  })

  it('a figure recorded without a value is missing', () => {
    const figures = { 'load.smoke.latency_p95': { value: null, unit: 'ms' } as unknown as Figure }
    const row = only(evaluate(makeResults({ scenarios: ['smoke'], figures }), gates('load.smoke.latency_p95 < 500ms')).rows)
    assert.equal(row.outcome, 'missing')
    assert.match(row.why, /recorded without a value/)
  })
})

describe('evaluate: checks and scenarios that did not measure', () => {
  it('a skipped check gives a skipped row with its reason, and fails', () => {
    const card = evaluate(makeResults({ checks: [{ id: 'tls', status: 'skipped', reason: 'baseUrl is http, not https' }] }), gates('tls.grade >= A'))
    const row = only(card.rows)
    assert.equal(row.outcome, 'skipped')
    assert.equal(row.why, 'check tls was skipped: baseUrl is http, not https')
    assert.equal(card.verdict, 'no-go')
    assert.equal(card.counts.fail, 1)
  })

  it('a check in error gives an error row, even if it left a figure behind', () => {
    const card = evaluate(
      makeResults({
        checks: [{ id: 'tls', status: 'error', reason: 'SSL Labs timed out' }],
        figures: { 'tls.grade': grade('A+') },
      }),
      gates('tls.grade >= A'),
    )
    const row = only(card.rows)
    assert.equal(row.outcome, 'error')
    assert.equal(row.why, 'check tls could not measure: SSL Labs timed out')
    assert.equal(row.actual, 'A+')
    assert.equal(card.verdict, 'no-go')
  })

  it('a skipped check still shows under a wildcard in the check place', () => {
    const card = evaluate(
      makeResults({
        checks: ['headers', { id: 'tls', status: 'skipped', reason: 'no https' }],
        figures: { 'headers.grade': grade('B') },
      }),
      gates('*.grade >= B'),
    )
    assert.deepEqual(
      card.rows.map((r) => [r.figure, r.outcome]),
      [
        ['tls.grade', 'skipped'],
        ['headers.grade', 'pass'],
      ],
    )
  })

  it('a scenario in error gives an error row under a wildcard, though it has no figures', () => {
    const card = evaluate(
      makeResults({
        scenarios: ['smoke', { name: 'checkout', status: 'error', reason: 'k6 exited with code 107' }],
        figures: { 'load.smoke.latency_p95': ms(100) },
      }),
      gates('load.*.latency_p95 < 500ms'),
    )
    assert.deepEqual(
      card.rows.map((r) => [r.figure, r.outcome]),
      [
        ['load.checkout.latency_p95', 'error'],
        ['load.smoke.latency_p95', 'pass'],
      ],
    )
    assert.equal(card.rows[0]!.why, 'scenario checkout failed: k6 exited with code 107')
    assert.equal(card.verdict, 'no-go')
  })
})

describe('evaluate: optional (preset) gates', () => {
  const optional = (s: string): GateSpec => ({ ...parseGate(s, 'go-live'), optional: true })

  it('read not-run when their source is not part of the run, and never count', () => {
    const card = evaluate(makeResults({ scenarios: ['smoke'], figures: { 'load.smoke.latency_p95': ms(100) } }), [
      optional('load.*.latency_p95 < 500ms'),
      optional('tls.grade >= A'),
      optional('load.load.vus_max >= 100'),
    ])
    assert.deepEqual(
      card.rows.map((r) => [r.figure, r.outcome]),
      [
        ['load.smoke.latency_p95', 'pass'],
        ['tls.grade', 'not-run'],
        ['load.load.vus_max', 'not-run'],
      ],
    )
    assert.equal(card.rows[1]!.why, 'not part of this run: no tls check ran')
    assert.equal(card.rows[2]!.why, 'not part of this run: no scenario named load ran')
    assert.equal(card.verdict, 'go')
    assert.deepEqual(card.counts, { pass: 1, fail: 0, warn: 0, off: 0 })
    assert.equal(card.summary, 'GO: 1 gate passed; 2 not run')
  })

  it('a wildcard over scenarios is not-run when no scenario ran', () => {
    const row = only(evaluate(makeResults({ checks: ['tls'] }), [optional('load.*.latency_p95 < 500ms')]).rows)
    assert.equal(row.outcome, 'not-run')
    assert.equal(row.why, 'not part of this run: no scenario ran')
  })

  it('fail as missing when their source ran without the figure', () => {
    const card = evaluate(makeResults({ scenarios: ['load'], checks: ['tls'] }), [
      optional('load.load.vus_max >= 100'),
      optional('tls.grade >= A'),
      optional('load.*.latency_p95 < 500ms'),
    ])
    assert.deepEqual(
      card.rows.map((r) => [r.figure, r.outcome]),
      [
        ['load.load.vus_max', 'missing'],
        ['tls.grade', 'missing'],
        ['load.load.latency_p95', 'missing'],
      ],
    )
    assert.equal(card.verdict, 'no-go')
  })

  it('a non-optional gate on a source outside the run fails', () => {
    const row = only(evaluate(makeResults(), gates('tls.grade >= A')).rows)
    assert.equal(row.outcome, 'missing')
  })
})

describe('evaluate: levels', () => {
  const results = () =>
    makeResults({
      scenarios: ['smoke'],
      figures: { 'load.smoke.latency_p95': ms(100), 'load.smoke.error_rate': pct(0.5), 'load.smoke.vus_max': count(10) },
    })

  it('a failing warn is shown and counted but leaves the verdict go', () => {
    const card = evaluate(results(), gates('load.smoke.latency_p95 < 500ms', 'load.smoke.error_rate < 0.1% warn'))
    assert.equal(card.verdict, 'go')
    assert.deepEqual(card.counts, { pass: 1, fail: 0, warn: 1, off: 0 })
    assert.equal(card.rows[0]!.level, 'warn')
    assert.equal(card.rows[0]!.outcome, 'fail')
    assert.equal(card.summary, 'GO: 1 gate passed; 1 warning')
  })

  it('a warn whose figure is missing is a warning too, not a no-go', () => {
    const card = evaluate(results(), gates('load.smoke.latency_p99 < 1s warn'))
    assert.equal(card.verdict, 'go')
    assert.equal(card.counts.warn, 1)
  })

  it('an off gate is evaluated and shown but ignored', () => {
    const card = evaluate(results(), gates('load.smoke.vus_max >= 100 off', 'load.smoke.latency_p95 < 500ms off'))
    assert.equal(card.verdict, 'go')
    assert.deepEqual(card.counts, { pass: 0, fail: 0, warn: 0, off: 2 })
    assert.deepEqual(
      card.rows.map((r) => r.outcome),
      ['fail', 'pass'],
    )
    assert.equal(card.rows[0]!.why, 'peak VUs 10 is below the 100 target')
  })
})

describe('evaluate: partial runs', () => {
  it('a partial run is never go: a blocker row comes first with the reason', () => {
    const card = evaluate(
      makeResults({
        partial: 'interrupted by Ctrl-C after 42 s',
        scenarios: ['smoke'],
        figures: { 'load.smoke.latency_p95': ms(100) },
      }),
      gates('load.*.latency_p95 < 500ms'),
    )
    assert.equal(card.verdict, 'no-go')
    assert.equal(card.partial, true)
    const first = card.rows[0]!
    assert.equal(first.gate, 'run.complete')
    assert.equal(first.figure, 'run.partial')
    assert.equal(first.level, 'blocker')
    assert.equal(first.outcome, 'fail')
    assert.equal(first.why, 'interrupted by Ctrl-C after 42 s')
    assert.equal(card.rows[1]!.outcome, 'pass')
    assert.equal(card.summary, 'NO-GO: 1 blocker failed (run.partial)')
  })

  it('stays first among other failed blockers', () => {
    const card = evaluate(
      makeResults({ partial: 'scenario crashed', scenarios: ['smoke'], figures: { 'load.smoke.latency_p95': ms(900) } }),
      gates('load.*.latency_p95 < 500ms'),
    )
    assert.deepEqual(
      card.rows.map((r) => r.figure),
      ['run.partial', 'load.smoke.latency_p95'],
    )
    assert.equal(card.counts.fail, 2)
  })
})

describe('evaluate: order and summary', () => {
  it('failed blockers, then warnings, then passes, then off and not-run; config order within a group', () => {
    const card = evaluate(
      makeResults({
        scenarios: ['load'],
        figures: {
          'load.load.latency_p95': ms(800),
          'load.load.latency_max': ms(900),
          'load.load.error_rate': pct(2),
          'load.load.vus_max': count(100),
        },
      }),
      [
        ...gates(
          'load.load.vus_max >= 100', // pass
          'load.load.latency_max < 2s off', // off
          'load.load.latency_p95 < 500ms', // failed blocker
          'load.load.latency_max < 500ms warn', // warning
          'load.load.error_rate < 0.1%', // failed blocker
        ),
        { ...parseGate('tls.grade >= A'), optional: true }, // not-run
      ],
    )
    assert.deepEqual(
      card.rows.map((r) => r.gate),
      [
        'load.load.latency_p95 < 500ms',
        'load.load.error_rate < 0.1%',
        'load.load.latency_max < 500ms',
        'load.load.vus_max >= 100',
        'load.load.latency_max < 2s',
        'tls.grade >= A',
      ],
    )
    assert.equal(card.summary, 'NO-GO: 2 blockers failed (load.load.latency_p95, load.load.error_rate); 1 warning; 1 not run')
    assert.deepEqual(card.counts, { pass: 1, fail: 2, warn: 1, off: 1 })
  })

  it('a run with nothing to judge says so', () => {
    const card = evaluate(makeResults(), [])
    assert.equal(card.verdict, 'go')
    assert.equal(card.summary, 'GO: no gate judged anything')
  })

  it('a malformed gate is a usage error, not a row', () => {
    assert.throws(() => evaluate(makeResults(), [{ figure: 'tls.grade', op: '=>' as never, target: 'A' }]), GateParseError)
  })
})

describe('outsideSelection: gates on what --only left out', () => {
  it('a load gate is outside a checks-only run, inside when load or its scenario is selected', async () => {
    const { outsideSelection } = await import('../../gates/figures.js')
    assert.equal(outsideSelection('load.load.step.browse.latency_p95', ['tls', 'headers']), true)
    assert.equal(outsideSelection('load.*.latency_p95', ['tls']), true)
    assert.equal(outsideSelection('load.load.latency_p95', ['load']), false)
    assert.equal(outsideSelection('load.smoke.latency_p95', ['load.smoke']), false)
    assert.equal(outsideSelection('load.smoke.latency_p95', ['load.soak']), true)
    assert.equal(outsideSelection('load.*.latency_p95', ['load.soak']), false)
  })
  it('a check gate is outside unless its check is selected; a * source never is', async () => {
    const { outsideSelection } = await import('../../gates/figures.js')
    assert.equal(outsideSelection('tls.grade', ['headers']), true)
    assert.equal(outsideSelection('tls.grade', ['tls', 'headers']), false)
    assert.equal(outsideSelection('*.errors', ['tls']), false)
  })
})
