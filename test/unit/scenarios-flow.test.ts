// Journeys (scenarios/mix.ts, groups.ts, flow-totals.ts, flow-figures.ts): the weighted pick, group timing, totals and figures.

import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { pickJourney } from '../../scenarios/mix.js'
import { GroupClock } from '../../scenarios/groups.js'
import { metricValue } from '../../scenarios/step-checks.js'
import { FlowTotals } from '../../scenarios/flow-totals.js'
import { flowFigures } from '../../scenarios/flow-figures.js'
import type { ScenarioResult } from '../../core/results.js'

describe('pickJourney', () => {
  const js = [
    { name: 'a', weight: 3 },
    { name: 'zero', weight: 0 },
    { name: 'b', weight: 1 },
  ]
  it('splits [0, 1) by weight: 3/4 to a, 1/4 to b, none to a weight of 0', () => {
    assert.equal(pickJourney(js, 0).name, 'a')
    assert.equal(pickJourney(js, 0.7499).name, 'a')
    assert.equal(pickJourney(js, 0.75).name, 'b')
    assert.equal(pickJourney(js, 0.9999).name, 'b')
    const n: Record<string, number> = { a: 0, zero: 0, b: 0 }
    for (let i = 0; i < 1000; i++) n[pickJourney(js, (i + 0.5) / 1000).name]!++
    assert.deepEqual(n, { a: 750, zero: 0, b: 250 })
  })
  it('r rounded up to the total still lands on a journey with a weight', () => {
    assert.equal(
      pickJourney(
        [
          { name: 'a', weight: 1 },
          { name: 'z', weight: 0 },
        ],
        1,
      ).name,
      'a',
    )
  })
})

describe('GroupClock', () => {
  it('times a group from its first request to its last response, without the pauses inside it', () => {
    const c = new GroupClock({ checkout: 2 })
    c.step(null, 0, 5)
    c.pause(5, 105) // before the group: not in it
    c.step('checkout', 105, 145)
    c.pause(145, 645)
    c.step('checkout', 645, 705)
    c.pause(705, 1705) // after it
    assert.deepEqual(c.durations(), [['checkout', 100]])
  })
  it('a group some of whose steps got no response is not timed', () => {
    const c = new GroupClock({ checkout: 2 })
    c.step('checkout', 0, 10)
    assert.deepEqual(c.durations(), [])
  })
})

describe('metricValue', () => {
  it('numbers, numeric text; a rate takes booleans and non-zero numbers; a trend refuses negatives', () => {
    assert.equal(metricValue('trend', 12.5), 12.5)
    assert.equal(metricValue('counter', '3'), 3)
    assert.equal(metricValue('rate', true), 1)
    assert.equal(metricValue('rate', 0), 0)
    assert.equal(metricValue('rate', 7), 1)
    assert.match(String(metricValue('trend', -1)), /≥ 0/)
    assert.match(String(metricValue('counter', 'many')), /not a number/)
    assert.match(String(metricValue('trend', undefined)), /not found/)
  })
})

describe('flow figures', () => {
  it('names journeys, groups, metrics and phases next to the totals, merged across workers', () => {
    const flow = {
      mix: true,
      journeys: [{ name: 'buy', weight: 1, steps: [0], groups: {} }],
      before: [],
      setup: [],
      teardown: [],
      after: [],
      groups: ['checkout'],
      metrics: [
        { name: 'total', type: 'trend' as const },
        { name: 'items', type: 'counter' as const },
        { name: 'paid', type: 'rate' as const },
      ],
    }
    const w1 = new FlowTotals(flow),
      w2 = new FlowTotals(flow),
      all = new FlowTotals(flow)
    w1.journey('buy')
    w1.group('checkout', 100)
    w1.metric('total', 'trend', 10)
    w1.metric('items', 'counter', 2)
    w1.metric('paid', 'rate', 1)
    w2.journey('buy')
    w2.group('checkout', 300)
    w2.metric('total', 'trend', 30)
    w2.metric('items', 'counter', 5)
    w2.metric('paid', 'rate', 0)
    all.absorb(w1.delta())
    all.absorb(w2.delta())
    const r = {
      name: 's',
      steps: [
        { name: 'pay', method: 'POST', requests: 2, errors: 1, statuses: {}, checks: { passed: 0, failed: 0 }, latency: null, histogram: null },
        {
          name: 'login',
          method: 'POST',
          requests: 3,
          errors: 0,
          statuses: {},
          checks: { passed: 0, failed: 0 },
          latency: null,
          histogram: null,
          phase: 'setup',
        },
      ],
    } as unknown as ScenarioResult
    Object.assign(r, all.results(flow, r.steps, ['pay']))
    const f = flowFigures(r)
    assert.equal(f['load.s.journey.buy.iterations']!.value, 2)
    assert.equal(f['load.s.journey.buy.error_rate']!.value, 50)
    assert.equal(f['load.s.group.checkout.count']!.value, 2)
    assert.ok(Math.abs((f['load.s.group.checkout.duration_max']!.value as number) - 300) < 0.5)
    assert.equal(f['load.s.metric.items_count']!.value, 7)
    assert.equal(f['load.s.metric.paid_rate']!.value, 50)
    assert.ok(Math.abs((f['load.s.metric.total_max']!.value as number) - 30) < 0.05)
    assert.equal(f['load.s.metric.total_count']!.value, 2)
    assert.equal(f['load.s.setup.requests']!.value, 3)
    assert.ok(!('load.s.teardown.requests' in f), 'no teardown steps: no teardown figures')
  })
})
