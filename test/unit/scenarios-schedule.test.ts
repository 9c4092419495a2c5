import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { levelAt, type Stage } from '../../scenarios/compile.js'
import { arrivalTime, closedTarget, ownIds } from '../../scenarios/engines/embedded/schedule.js'

const constant = (rate: number, ms: number): Stage[] => [{ durationMs: ms, from: rate, to: rate }]
/** ∫ rate dt (journeys) from 0 to t ms over a piecewise-linear curve in starts per second. */
function integral(stages: Stage[], t: number): number {
  let start = 0,
    total = 0
  for (const s of stages) {
    const end = start + s.durationMs
    if (t <= start) break
    const tau = (Math.min(t, end) - start) / 1000
    const d = s.durationMs / 1000
    total += s.from * tau + (((s.to - s.from) / d) * tau * tau) / 2
    start = end
  }
  return total
}
const close = (actual: number | null, expected: number, eps = 1e-6, msg?: string): void => {
  assert.ok(actual !== null, msg ?? `expected ${expected}, got null`)
  assert.ok(Math.abs(actual - expected) <= eps, `${msg ?? ''} expected ${expected}, got ${actual}`)
}

const LOAD: Stage[] = [
  { durationMs: 5_000, from: 0, to: 100 },
  { durationMs: 25_000, from: 100, to: 100 },
]

describe('levelAt', () => {
  it('follows a ramp linearly and holds a plateau', () => {
    assert.equal(levelAt(LOAD, 0), 0)
    assert.equal(levelAt(LOAD, 1_000), 20)
    assert.equal(levelAt(LOAD, 2_500), 50)
    assert.equal(levelAt(LOAD, 5_000), 100)
    assert.equal(levelAt(LOAD, 29_999), 100)
  })

  it('ramps down', () => {
    const down: Stage[] = [{ durationMs: 10_000, from: 300, to: 0 }]
    assert.equal(levelAt(down, 0), 300)
    assert.equal(levelAt(down, 5_000), 150)
    assert.equal(levelAt(down, 9_000), 30)
  })

  it('is 0 at and after the end', () => {
    assert.equal(levelAt(LOAD, 30_000), 0)
    assert.equal(levelAt(LOAD, 1e9), 0)
  })

  it('skips zero-length stages (an instant jump)', () => {
    const jump: Stage[] = [
      { durationMs: 1_000, from: 5, to: 5 },
      { durationMs: 0, from: 5, to: 50 },
      { durationMs: 1_000, from: 50, to: 50 },
    ]
    assert.equal(levelAt(jump, 999), 5)
    assert.equal(levelAt(jump, 1_000), 50)
  })
})

describe('ownIds', () => {
  it('user i belongs to worker (i - 1) mod W', () => {
    assert.deepEqual(ownIds(10, 0, 3), [1, 4, 7, 10])
    assert.deepEqual(ownIds(10, 1, 3), [2, 5, 8])
    assert.deepEqual(ownIds(10, 2, 3), [3, 6, 9])
    assert.deepEqual(ownIds(5, 0, 1), [1, 2, 3, 4, 5])
  })

  it('the workers partition 1..N exactly: every id once, none outside', () => {
    for (const n of [0, 1, 2, 7, 100, 401]) {
      for (const w of [1, 2, 3, 4, 8, 16]) {
        const all = Array.from({ length: w }, (_, k) => ownIds(n, k, w))
          .flat()
          .sort((a, b) => a - b)
        assert.deepEqual(
          all,
          Array.from({ length: n }, (_, i) => i + 1),
          `N=${n} W=${w}`,
        )
      }
    }
  })

  it('more workers than users leaves some with none', () => {
    assert.deepEqual(ownIds(2, 3, 4), [])
    assert.deepEqual(ownIds(2, 1, 4), [2])
  })
})

describe('closedTarget', () => {
  it("counts this worker's users with id ≤ the level", () => {
    const ids = ownIds(100, 0, 4) // 1, 5, 9, ..., 97
    assert.equal(closedTarget(LOAD, 0, ids), 0)
    assert.equal(closedTarget(LOAD, 50, ids), 1) // level 1 → user 1
    assert.equal(closedTarget(LOAD, 2_500, ids), 13) // level 50 → 1..49 step 4
    assert.equal(closedTarget(LOAD, 10_000, ids), 25)
    assert.equal(closedTarget(LOAD, 30_000, ids), 0)
  })

  it('rounds the level down (2.9 users is 2), without losing a user to float error', () => {
    const ramp: Stage[] = [{ durationMs: 3_000, from: 0, to: 3 }]
    const ids = ownIds(3, 0, 1)
    assert.equal(closedTarget(ramp, 999, ids), 0)
    assert.equal(closedTarget(ramp, 1_000, ids), 1)
    assert.equal(closedTarget(ramp, 2_900, ids), 2)
    // 100 × (2030 / 7000) is 28.999999999999996 in floating point; exactly 29 users are due
    const fine: Stage[] = [{ durationMs: 7_000, from: 0, to: 100 }]
    assert.ok(levelAt(fine, 2_030) < 29)
    assert.equal(closedTarget(fine, 2_030, ownIds(100, 0, 1)), 29)
  })

  it('summed over workers, equals the whole level at every moment', () => {
    const spike: Stage[] = [
      { durationMs: 5_000, from: 0, to: 10 },
      { durationMs: 5_000, from: 10, to: 400 },
      { durationMs: 20_000, from: 400, to: 400 },
      { durationMs: 5_000, from: 400, to: 10 },
      { durationMs: 10_000, from: 10, to: 10 },
    ]
    for (const w of [1, 3, 7]) {
      const parts = Array.from({ length: w }, (_, k) => ownIds(400, k, w))
      for (let t = 0; t <= 46_000; t += 137) {
        const sum = parts.reduce((a, ids) => a + closedTarget(spike, t, ids), 0)
        assert.equal(sum, Math.floor(levelAt(spike, t) + 1e-9), `t=${t} W=${w}`)
      }
    }
  })
})

describe('arrivalTime', () => {
  it('constant rate: arrival k at k/rate seconds', () => {
    const s = constant(10, 1_000)
    assert.equal(arrivalTime(s, 0), 0)
    assert.equal(arrivalTime(s, 1), 100)
    assert.equal(arrivalTime(s, 5), 500)
    assert.equal(arrivalTime(s, 9), 900)
    close(arrivalTime(constant(3, 10_000), 7), 7_000 / 3)
    close(arrivalTime(constant(0.5, 10_000), 2), 4_000)
  })

  it('after the end → null: rate × duration arrivals, no more', () => {
    assert.equal(arrivalTime(constant(10, 1_000), 10), null)
    assert.equal(arrivalTime(constant(10, 1_000), 11), null)
    assert.equal(arrivalTime(constant(0.5, 10_000), 5), null)
    assert.equal(arrivalTime([], 0), null)
  })

  it('a ramp from 0: rate = t, so arrival k is at √(2k) s', () => {
    const ramp: Stage[] = [{ durationMs: 10_000, from: 0, to: 10 }]
    close(arrivalTime(ramp, 0), 0)
    close(arrivalTime(ramp, 2), 2_000)
    close(arrivalTime(ramp, 8), 4_000)
    close(arrivalTime(ramp, 49), Math.sqrt(98) * 1000)
    assert.equal(arrivalTime(ramp, 50), null)
  })

  it('a ramp up from 10 to 20/s over 10 s: 10t + t²/2 = k', () => {
    const ramp: Stage[] = [{ durationMs: 10_000, from: 10, to: 20 }]
    close(arrivalTime(ramp, 75), (-10 + Math.sqrt(250)) * 1000)
    close(arrivalTime(ramp, 22), 2_000) // 10·2 + 2²/2 = 22
    close(arrivalTime(ramp, 149), (-10 + Math.sqrt(100 + 2 * 149)) * 1000)
    assert.equal(arrivalTime(ramp, 150), null) // 10·10 + 100/2 = 150 in all
  })

  it('a ramp down from 20 to 0/s over 10 s: 20t - t² = k', () => {
    const ramp: Stage[] = [{ durationMs: 10_000, from: 20, to: 0 }]
    close(arrivalTime(ramp, 75), 5_000)
    close(arrivalTime(ramp, 19), 1_000)
    close(arrivalTime(ramp, 99), 9_000)
    assert.equal(arrivalTime(ramp, 100), null)
  })

  it('across stages: a plateau, then a ramp; a zero-rate stage is skipped', () => {
    const stages: Stage[] = [
      { durationMs: 2_000, from: 10, to: 10 }, // 20 arrivals
      { durationMs: 3_000, from: 0, to: 0 }, // none
      { durationMs: 2_000, from: 10, to: 30 }, // 10τ + 5τ² → 40 arrivals
    ]
    close(arrivalTime(stages, 19), 1_900)
    close(arrivalTime(stages, 20), 5_000)
    close(arrivalTime(stages, 35), 6_000) // 10τ + 5τ² = 15 → τ = 1
    assert.equal(arrivalTime(stages, 60), null)
  })

  it('the integral of the rate up to arrival k is k, and arrivals never go back in time', () => {
    const curves: Stage[][] = [
      [{ durationMs: 7_000, from: 3, to: 47 }],
      [
        { durationMs: 10_000, from: 0, to: 50 },
        { durationMs: 20_000, from: 50, to: 50 },
        { durationMs: 5_000, from: 50, to: 2 },
      ],
      [
        { durationMs: 1_500, from: 0.5, to: 0.5 },
        { durationMs: 4_000, from: 0.5, to: 9 },
      ],
    ]
    for (const stages of curves) {
      const total = integral(
        stages,
        stages.reduce((a, s) => a + s.durationMs, 0),
      )
      let prev = -1
      for (let k = 0; k < Math.floor(total - 1e-9); k++) {
        const t = arrivalTime(stages, k)
        assert.ok(t !== null, `k=${k} of ${total}`)
        assert.ok(t >= prev, `k=${k}: ${t} after ${prev}`)
        close(integral(stages, t), k, 1e-6, `∫ up to arrival ${k}`)
        prev = t
      }
      assert.equal(arrivalTime(stages, Math.ceil(total + 1e-9)), null)
    }
  })
})
