import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { PRESETS, forMainScenario, mainScenarioOf, resolveGates } from '../../gates/presets.js'
import { evaluate } from '../../gates/evaluate.js'
import { formatGate } from '../../gates/parse.js'
import { UsageError } from '../../core/errors.js'
import { isBaselineOp } from '../../gates/operators.js'

// the regression gates (rise<, drop<) have tests of their own below
const absolute = (g: { op: string }) => !isBaselineOp(g.op)
import type { Figure, Results, ScenarioResult } from '../../core/results.js'

function makeResults(scenarios: string[], figures: Record<string, Figure>): Results {
  return {
    schemaVersion: 1,
    run: {
      id: 'run-1',
      startedAt: '2024-01-01T00:00:00Z',
      finishedAt: '2024-01-01T00:01:00Z',
      durationMs: 60_000,
      partial: false,
      environment: 'staging',
      target: 'https://staging.example.com',
      command: 'golive run',
      golive: '0.1.0',
      node: 'v20',
      host: { platform: 'linux', cpus: 4, memoryGiB: 8 },
    },
    figures,
    scenarios: scenarios.map(
      (name): ScenarioResult => ({
        name,
        status: 'measured',
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
        // as assembleResults records it for a timeline without a low-load period
        unmeasured: { degradation: 'no low-load period to compare with' },
      }),
    ),
    checks: [],
    gates: [],
  }
}

const healthyLoad = (vus = 150): Record<string, Figure> => ({
  'load.load.latency_p95': { value: 210, unit: 'ms' },
  'load.load.latency_max': { value: 1200, unit: 'ms' },
  'load.load.error_rate': { value: 0.02, unit: '%' },
  'load.load.vus_max': { value: vus, unit: 'count' },
})

describe('the go-live preset', () => {
  it('holds the load and check gates, optional, from go-live', () => {
    const preset = PRESETS['go-live']!
    assert.deepEqual(preset.filter((g) => g.figure.startsWith('load.') && absolute(g)).map(formatGate), [
      'load.*.latency_p95 < 500ms',
      'load.*.latency_max < 2s',
      'load.*.error_rate < 0.1%',
      'load.load.vus_max >= 100',
      'load.*.degradation <= 3',
      // browser scenarios only (docs/browser.md)
      'load.*.web_vitals.lcp_p75 < 2.5s',
      'load.*.web_vitals.inp_p75 < 200ms',
      'load.*.web_vitals.cls_p75 < 0.1',
    ])
    for (const g of ['tls.grade >= A+', 'rate-limit.login_attempts_before_block <= 100', 'findings.critical == 0', 'findings.high == 0']) {
      assert.ok(preset.map(formatGate).includes(g), g)
    }
    assert.equal(preset.find((g) => g.figure === 'tls.days_to_expiry')?.level, 'warn')
    for (const gate of preset) {
      assert.equal(gate.optional, true)
      assert.equal(gate.source, 'go-live')
      if (gate.figure.startsWith('load.')) assert.equal(gate.level, gate.figure.endsWith('.degradation') ? 'warn' : 'blocker')
    }
  })

  it('holds the security headers grade gate', () => {
    const gate = PRESETS['go-live']!.find((g) => g.figure === 'headers.grade')
    assert.ok(gate)
    assert.equal(formatGate(gate), 'headers.grade >= A')
    assert.equal(gate.optional, true)
  })

  it('reads not-run for the headers grade when the headers check did not run', () => {
    const card = evaluate(makeResults(['load'], healthyLoad()), resolveGates(['go-live'], []))
    assert.deepEqual(
      card.rows.filter((r) => r.figure === 'headers.grade' && absolute(r)).map((r) => r.outcome),
      ['not-run'],
    )
  })

  it('passes a healthy load scenario', () => {
    const card = evaluate(makeResults(['load'], healthyLoad()), resolveGates(['go-live'], []))
    assert.equal(card.verdict, 'go', card.summary)
    assert.equal(card.counts.pass, 4)
  })

  it('fails when the load scenario peaked under 100 users', () => {
    const card = evaluate(makeResults(['load'], healthyLoad(80)), resolveGates(['go-live'], []))
    assert.equal(card.verdict, 'no-go')
    // the preset's check gates read 'not run' here: no check was part of this run
    assert.match(card.summary, /^NO-GO: 1 blocker failed \(load\.load\.vus_max\)(; \d+ not run)?$/)
  })

  it('reads not-run for the load scenario when only smoke ran', () => {
    const card = evaluate(
      makeResults(['smoke'], {
        'load.smoke.latency_p95': { value: 100, unit: 'ms' },
        'load.smoke.latency_max': { value: 300, unit: 'ms' },
        'load.smoke.error_rate': { value: 0, unit: '%' },
      }),
      resolveGates(['go-live'], []),
    )
    assert.equal(card.verdict, 'go', card.summary)
    assert.deepEqual(
      card.rows.filter((r) => r.gate.startsWith('load.') && absolute(r)).map((r) => r.outcome),
      ['pass', 'pass', 'pass', 'not-run', 'not-run', 'not-run', 'not-run', 'not-run'],
    )
    // the Web Vitals gates: no browser scenario ran, so not run (never missing)
    assert.deepEqual(
      card.rows.filter((r) => r.gate.includes('web_vitals')).map((r) => r.outcome),
      ['not-run', 'not-run', 'not-run'],
    )
    assert.ok(
      card.rows.filter((r) => !r.gate.startsWith('load.')).every((r) => r.outcome === 'not-run'),
      'checks that did not run',
    )
  })

  it('fails on one high scanner finding, passes on none', () => {
    const withFindings = (high: number) => {
      const results = makeResults(['load'], {
        ...healthyLoad(),
        'findings.critical': { value: 0, unit: 'count' },
        'findings.high': { value: high, unit: 'count' },
      })
      results.checks.push({ id: 'findings', status: 'measured', figures: {}, evidence: null, startedAt: '2024-01-01T00:00:00Z', durationMs: 1 })
      return evaluate(results, resolveGates(['go-live'], []))
    }
    assert.equal(withFindings(0).verdict, 'go', withFindings(0).summary)
    assert.match(withFindings(1).summary, /^NO-GO: 1 blocker failed \(findings\.high\)/)
  })

  it('holds noise-aware regression gates, which read not run without a baseline', () => {
    const preset = PRESETS['go-live']!.filter((g) => !absolute(g)).map(formatGate)
    assert.ok(preset.includes('load.*.latency_p95 rise< 10%,20ms'), preset.join('; '))
    assert.ok(preset.includes('tls.grade drop< 1'), preset.join('; '))
    const card = evaluate(makeResults(['load'], healthyLoad()), resolveGates(['go-live'], []))
    const rows = card.rows.filter((r) => !absolute(r))
    assert.ok(rows.length > 0 && rows.every((r) => r.outcome === 'not-run'))
    assert.match(rows.find((r) => r.gate.startsWith('load.*.latency_p95'))!.why, /no baseline to compare with: run with --baseline latest/)
  })

  it("a rule on the same figure with a baseline operator replaces only the preset's regression gate", () => {
    const gates = resolveGates(['go-live'], ['load.*.latency_p95 rise< 5%,10ms'])
    assert.deepEqual(gates.filter((g) => g.figure === 'load.*.latency_p95').map(formatGate), ['load.*.latency_p95 < 500ms', 'load.*.latency_p95 rise< 5%,10ms'])
  })

  it('reads not-run throughout when no scenario ran', () => {
    const card = evaluate(makeResults([], {}), resolveGates(['go-live'], []))
    assert.ok(card.rows.every((r) => r.outcome === 'not-run'))
    assert.equal(card.counts.fail, 0)
  })
})

describe('resolveGates', () => {
  it('an unknown preset is a usage error listing the known ones', () => {
    assert.throws(
      () => resolveGates(['go-live', 'golive'], []),
      (err: unknown) => {
        assert.ok(err instanceof UsageError)
        assert.match(err.message, /unknown gate preset 'golive'/)
        assert.match(err.message, /'go-live'/)
        return true
      },
    )
  })

  it('does not take preset names from the object prototype', () => {
    assert.throws(() => resolveGates(['toString'], []), /unknown gate preset 'toString'/)
  })

  it('parses rules, short form or object, as coming from config', () => {
    const gates = resolveGates([], ['tls.grade >= A+ warn', { figure: 'headers.grade', op: '>=', target: 'B' }])
    assert.deepEqual(gates, [
      { figure: 'tls.grade', op: '>=', target: 'A+', level: 'warn', source: 'config' },
      { figure: 'headers.grade', op: '>=', target: 'B', level: 'blocker', source: 'config' },
    ])
  })

  it('puts rules after the presets', () => {
    const gates = resolveGates(['go-live'], ['custom.figure >= 1'])
    assert.equal(gates.length, PRESETS['go-live']!.length + 1)
    assert.equal(formatGate(gates.at(-1)!), 'custom.figure >= 1')
  })

  it('a rule on the same figure and direction replaces the preset gate', () => {
    const gates = resolveGates(['go-live'], ['load.*.latency_p95 <= 800ms warn'])
    const p95 = gates.filter((g) => g.figure === 'load.*.latency_p95' && absolute(g))
    assert.equal(p95.length, 1)
    assert.equal(p95[0]!.target, '800ms')
    assert.equal(p95[0]!.level, 'warn')
    assert.equal(p95[0]!.source, 'config')
    assert.equal(p95[0]!.optional, undefined)
  })

  it('a rule in the other direction adds to the preset gate', () => {
    const gates = resolveGates(['go-live'], ['load.*.latency_p95 > 1ms'])
    assert.equal(gates.filter((g) => g.figure === 'load.*.latency_p95' && absolute(g)).length, 2)
  })

  it('hands out copies, so the presets cannot be changed through them', () => {
    const gates = resolveGates(['go-live'], [])
    gates[0]!.level = 'off'
    assert.equal(PRESETS['go-live']![0]!.level, 'blocker')
  })
})

describe('go-live preset on a system that is not the reference stack', () => {
  it("the 100-user gate judges the environment's main scenario, whatever its name", () => {
    const figs = {
      'load.browse.latency_p95': { value: 100, unit: 'ms' },
      'load.browse.latency_max': { value: 300, unit: 'ms' },
      'load.browse.error_rate': { value: 0, unit: '%' },
      'load.browse.vus_max': { value: 20, unit: 'count' },
    } as Record<string, Figure>
    const card = evaluate(makeResults(['browse'], figs), forMainScenario(resolveGates(['go-live'], []), 'browse'))
    assert.deepEqual(
      card.rows.filter((r) => r.figure === 'load.browse.vus_max').map((r) => r.outcome),
      ['fail'],
    )
    assert.equal(card.verdict, 'no-go')
    // golive gate --from re-judges with the main scenario the run recorded
    assert.equal(mainScenarioOf(forMainScenario(resolveGates(['go-live'], []), 'browse')), 'browse')
    assert.equal(mainScenarioOf(resolveGates(['go-live'], [])), undefined)
  })

  it('failover gates apply to whatever experiments ran; without a write probe lost_writes reads not run with the reason, never pass', () => {
    const results = makeResults([], {
      'failover.app-down.rto_seconds': { value: 4, unit: 's' },
      'failover.app-down.failed_requests': { value: 68, unit: 'count' },
      'failover.app-down.requests': { value: 78, unit: 'count' },
      'failover.app-down.failed_ratio': { value: 87.2, unit: '%' },
    })
    results.checks.push({
      id: 'failover',
      status: 'measured',
      figures: {},
      unmeasured: {
        'app-down.lost_writes': 'the write probe is off (write: false): data loss was not measured',
        'app-down.rpo_seconds': 'the write probe is off',
      },
      evidence: null,
      startedAt: '2024-01-01T00:00:00Z',
      durationMs: 1,
    })
    const rows = evaluate(results, resolveGates(['go-live'], [])).rows.filter((r) => r.source === 'failover')
    const by = (g: string) => rows.filter((r) => r.gate === g).map((r) => [r.figure, r.outcome])
    assert.deepEqual(by('failover.*.rto_seconds < 120'), [['failover.app-down.rto_seconds', 'pass']])
    assert.deepEqual(by('failover.*.failed_ratio < 50%'), [['failover.app-down.failed_ratio', 'fail']])
    assert.deepEqual(by('failover.*.lost_writes == 0'), [['failover.*.lost_writes', 'not-run']])
    assert.match(rows.find((r) => r.gate === 'failover.*.lost_writes == 0')!.why, /write probe is off/)
    assert.ok(!rows.some((r) => r.figure.includes('app-instance')), 'no reference-stack experiment name')
    // a gate the user wrote on the unmeasured figure is missing, with the reason
    const own = evaluate(results, resolveGates([], ['failover.app-down.lost_writes == 0'])).rows[0]!
    assert.equal(own.outcome, 'missing')
    assert.match(own.why, /write probe is off/)
  })
})
