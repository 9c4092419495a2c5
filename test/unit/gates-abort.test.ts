// abort: { after } on a gate: parsed and refused where it cannot work, judged second by second,
// compiled to k6 abortOnFail thresholds.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseGate } from '../../gates/parse.js'
import { AbortWatch } from '../../gates/abort.js'
import { k6Thresholds } from '../../gates/k6-thresholds.js'
import type { TimelinePoint } from '../../core/results.js'

const gate = (extra: Record<string, unknown>) => parseGate({ figure: 'load.*.latency_p95', op: '<', target: '500ms', ...extra } as never)

test('parse: abort { after } is kept; bad ones are refused with the fix', () => {
  assert.deepEqual(gate({ abort: { after: '30s' } }).abort, { after: '30s' })
  assert.throws(() => gate({ abort: { after: 'soon' } }), /abort\.after: 'soon' is not a duration/)
  assert.throws(() => gate({ abort: { afte: '30s' } }), /unknown field in abort: 'afte'/)
  assert.throws(() => gate({ abort: '30s' }), /'abort' must be \{ after: '30s' \}/)
  assert.throws(() => gate({ level: 'warn', abort: { after: '30s' } }), /only a blocker stops a run/)
  assert.throws(() => parseGate({ figure: 'load.*.latency_p99', op: '<', target: '1s', abort: { after: '5s' } } as never), /judged second by second/)
})

const sec = (t: number, p95: number | null, errors = 0, requests = 100): TimelinePoint => ({ t, requests, errors, active: 10, p50: p95, p95, max: p95 })

test('AbortWatch: stops once the breach lasted after whole seconds; a good second resets it', () => {
  const w = new AbortWatch([gate({ abort: { after: '2s' } })], 'checkout')
  assert.equal(w.second(sec(0, 100)), null)
  assert.equal(w.second(sec(1, 900)), null) // may have begun late in second 1
  assert.equal(w.second(sec(2, 900)), null)
  assert.equal(w.second(sec(3, 100)), null) // recovered: the breach starts again
  assert.equal(w.second(sec(4, 900)), null)
  assert.equal(w.second(sec(5, null, 0, 0)), null) // silence does not end a breach
  const b = w.second(sec(6, 900))!
  assert.deepEqual(
    { gate: b.gate, figure: b.figure, from: b.breachedFromS, at: b.atS },
    { gate: 'load.*.latency_p95 < 500ms', figure: 'load.checkout.latency_p95', from: 4, at: 7 },
  )
})

test('AbortWatch: error rate per second; gates without abort are not watched', () => {
  const w = new AbortWatch(
    [parseGate({ figure: 'load.s.error_rate', op: '<', target: '1%', abort: { after: '1s' } } as never), parseGate('load.*.latency_p95 < 1ms')],
    's',
  )
  assert.deepEqual(w.gates(), ['load.s.error_rate < 1% (abort after 1 s)'])
  assert.equal(w.second(sec(0, 5, 5)), null)
  assert.equal(w.second(sec(1, 5, 5))?.value, 5)
})

test('k6: an abort gate becomes an abortOnFail threshold with delayAbortEval', () => {
  const t = k6Thresholds([gate({ abort: { after: '30s' } })], 'checkout', [])
  assert.deepEqual(t.thresholds.http_req_duration, [{ threshold: 'p(95)<500', abortOnFail: true, delayAbortEval: '30000ms' }])
  assert.deepEqual(t.aborts, [{ gate: 'load.*.latency_p95 < 500ms', metric: 'http_req_duration', threshold: 'p(95)<500', after: '30s' }])
})
