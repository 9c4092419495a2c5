import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { align, describeTarget, parseTarget, TargetError } from '../../gates/target.js'
import { GRADES, gradeRank, toGrade, type Grade } from '../../gates/grades.js'
import type { Figure } from '../../core/results.js'

function aligned(target: string | number, figure: Figure): { actual: number; target: number } {
  const a = align(parseTarget(target), figure, 'x.y')
  assert.ok(a.ok, `expected ${target} to align with ${JSON.stringify(figure)}: ${a.ok ? '' : a.why}`)
  return { actual: a.actual, target: a.target }
}

function misaligned(target: string | number, figure: Figure): string {
  const a = align(parseTarget(target), figure, 'load.smoke.error_rate')
  assert.ok(!a.ok, `expected ${target} not to align with ${JSON.stringify(figure)}`)
  return a.why
}

const rank = (g: string) => gradeRank(toGrade(g) as Grade)

describe('parseTarget', () => {
  it('tells the kinds apart', () => {
    assert.deepEqual(parseTarget(100), { kind: 'number', value: 100, text: '100' })
    assert.deepEqual(parseTarget('0.5'), { kind: 'number', value: 0.5, text: '0.5' })
    assert.deepEqual(parseTarget('500ms'), { kind: 'duration', ms: 500, text: '500ms' })
    assert.deepEqual(parseTarget('0.1%'), { kind: 'percent', value: 0.1, text: '0.1%' })
    assert.deepEqual(parseTarget('A+'), { kind: 'grade', grade: 'A+', text: 'A+' })
  })

  it('reads durations in us, ms, s and m', () => {
    const ms = (t: string) => {
      const p = parseTarget(t)
      assert.equal(p.kind, 'duration')
      return p.kind === 'duration' ? p.ms : NaN
    }
    assert.equal(ms('250us'), 0.25)
    assert.equal(ms('500ms'), 500)
    assert.equal(ms('2s'), 2000)
    assert.equal(ms('1m'), 60_000)
  })

  it('reads grades in any case', () => {
    assert.deepEqual(parseTarget('b-'), { kind: 'grade', grade: 'B-', text: 'b-' })
  })

  it('rejects what is none of them', () => {
    assert.throws(() => parseTarget('fast'), TargetError)
    assert.throws(() => parseTarget('5 parsecs'), /'5 parsecs' is not a target/)
    assert.throws(() => parseTarget(''), /the target is empty/)
    assert.throws(() => parseTarget(NaN), /not a finite number/)
  })

  it('describes targets with their units', () => {
    assert.equal(describeTarget(parseTarget('500ms')), '500 ms')
    assert.equal(describeTarget(parseTarget('2s'), 'ms'), '2 s')
    assert.equal(describeTarget(parseTarget('0.1%')), '0.1 %')
    assert.equal(describeTarget(parseTarget(100), 'count'), '100')
    assert.equal(describeTarget(parseTarget(50), 'rps'), '50 req/s')
    assert.equal(describeTarget(parseTarget('A+')), 'A+')
  })
})

describe('align: units', () => {
  it('a ms duration against a ms figure', () => {
    assert.deepEqual(aligned('500ms', { value: 312, unit: 'ms' }), { actual: 312, target: 500 })
  })

  it("'2s' against a ms figure converts to 2000 ms", () => {
    assert.deepEqual(aligned('2s', { value: 1500, unit: 'ms' }), { actual: 1500, target: 2000 })
  })

  it("'500ms' against a figure in seconds converts to 0.5 s", () => {
    assert.deepEqual(aligned('500ms', { value: 0.3, unit: 's' }), { actual: 0.3, target: 0.5 })
  })

  it("'250us' against a ms figure is 0.25 ms", () => {
    assert.deepEqual(aligned('250us', { value: 0.1, unit: 'ms' }), { actual: 0.1, target: 0.25 })
  })

  it("'0.1%' compares with a % figure as is (0.1 means 0.1 %)", () => {
    assert.deepEqual(aligned('0.1%', { value: 0.05, unit: '%' }), { actual: 0.05, target: 0.1 })
  })

  it('a bare number compares as is, whatever the unit', () => {
    assert.deepEqual(aligned(100, { value: 80, unit: 'count' }), { actual: 80, target: 100 })
    assert.deepEqual(aligned(250, { value: 300, unit: 'ms' }), { actual: 300, target: 250 })
  })

  it('a duration against a % figure is a unit mismatch', () => {
    const why = misaligned('500ms', { value: 0.05, unit: '%' })
    assert.match(why, /units disagree/)
    assert.match(why, /500ms is a duration/)
    assert.match(why, /load\.smoke\.error_rate is a percentage/)
  })

  it('a percentage against a ms figure is a unit mismatch', () => {
    assert.match(misaligned('1%', { value: 300, unit: 'ms' }), /units disagree: target 1% is a percentage but .* is in ms/)
  })

  it('a duration against a count is a unit mismatch', () => {
    assert.match(misaligned('2s', { value: 3, unit: 'count' }), /units disagree/)
  })

  it('a grade against a number, and a number against a grade, are unit mismatches', () => {
    assert.match(misaligned('A', { value: 97, unit: 'count' }), /target A is a grade but .* is a count/)
    assert.match(misaligned(90, { value: 'A', unit: 'grade' }), /target 90 is a number but .* is a grade/)
  })

  it('a text that is not a number is never compared with a number', () => {
    assert.match(misaligned(5, { value: 'lots', unit: 'count' }), /not a number/)
  })
})

describe('grade order', () => {
  it('runs A+ > A > A- > B+ > B > B- > C+ > C > C- > D+ > D > D- > E > F > T > M', () => {
    const order = ['A+', 'A', 'A-', 'B+', 'B', 'B-', 'C+', 'C', 'C-', 'D+', 'D', 'D-', 'E', 'F', 'T', 'M']
    assert.deepEqual([...GRADES], order)
    for (let i = 1; i < order.length; i++) assert.ok(rank(order[i - 1]!) > rank(order[i]!), `${order[i - 1]} > ${order[i]}`)
  })

  it('A+ is above A, A- below A, B+ above B', () => {
    assert.ok(rank('A+') > rank('A'))
    assert.ok(rank('A-') < rank('A'))
    assert.ok(rank('B+') > rank('B'))
  })

  it('T and M are the worst, below F', () => {
    assert.ok(rank('T') < rank('F'))
    assert.ok(rank('M') < rank('T'))
    assert.equal(rank('M'), 0)
  })

  it('aligns grades by rank, so A against a >= A+ target is lower', () => {
    const a = aligned('A+', { value: 'A', unit: 'grade' })
    assert.ok(a.actual < a.target)
  })

  it('does not know made-up grades', () => {
    assert.equal(toGrade('A++'), undefined)
    assert.equal(toGrade('G'), undefined)
  })
})
