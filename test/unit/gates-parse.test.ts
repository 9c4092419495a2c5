import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { GateParseError, formatGate, parseGate } from '../../gates/parse.js'
import { UsageError } from '../../core/errors.js'
import type { GateSpec } from '../../core/results.js'

function parseError(input: unknown): GateParseError {
  try {
    parseGate(input as GateSpec | string)
  } catch (err) {
    assert.ok(err instanceof GateParseError, `expected a GateParseError, got ${String(err)}`)
    return err
  }
  assert.fail(`expected ${JSON.stringify(input)} to be rejected`)
}

describe('parseGate: short form', () => {
  it('reads figure, operator and target, level blocker by default', () => {
    assert.deepEqual(parseGate('load.*.latency_p95 < 500ms'), {
      figure: 'load.*.latency_p95',
      op: '<',
      target: '500ms',
      level: 'blocker',
    })
  })

  for (const op of ['<', '<=', '>', '>=', '==', '!='] as const) {
    it(`reads the operator ${op}`, () => {
      const gate = parseGate(`load.smoke.latency_p95 ${op} 500ms`)
      assert.equal(gate.op, op)
      assert.equal(gate.figure, 'load.smoke.latency_p95')
      assert.equal(gate.target, '500ms')
    })
  }

  it('reads operators without spaces around them', () => {
    const gate = parseGate('tls.grade>=A+')
    assert.equal(gate.figure, 'tls.grade')
    assert.equal(gate.op, '>=')
    assert.equal(gate.target, 'A+')
  })

  it('reads the levels warn, off and blocker', () => {
    assert.equal(parseGate('load.*.error_rate < 0.1% warn').level, 'warn')
    assert.equal(parseGate('load.*.error_rate < 0.1% off').level, 'off')
    assert.equal(parseGate('load.*.error_rate < 0.1% blocker').level, 'blocker')
    assert.equal(parseGate('load.*.error_rate < 0.1% warn').target, '0.1%')
  })

  it('turns a bare number target into a number', () => {
    const gate = parseGate('load.load.vus_max >= 100')
    assert.equal(gate.target, 100)
    assert.equal(typeof gate.target, 'number')
  })

  it('records the source it was given', () => {
    assert.equal(parseGate('tls.grade >= A', 'config').source, 'config')
    assert.equal(parseGate('tls.grade >= A').source, undefined)
  })

  it('formats a gate back the way it was written', () => {
    assert.equal(formatGate(parseGate('load.*.latency_p95  <  500ms warn')), 'load.*.latency_p95 < 500ms')
  })
})

describe('parseGate: bad short forms say what is wrong and how to write it', () => {
  it('no operator', () => {
    const err = parseError('load.smoke.latency_p95 500ms')
    assert.match(err.message, /no operator/)
    assert.match(err.message, /< <= > >= == !=/)
    assert.match(err.message, /'load\.smoke\.latency_p95 500ms'/)
  })

  it('a single = suggests ==', () => {
    const err = parseError('tls.grade = A+')
    assert.match(err.message, /'=' is not an operator/)
    assert.match(err.message, /write '=='/)
  })

  it('=> suggests >=', () => {
    assert.match(parseError('tls.grade => A').message, /write '>='/)
  })

  it('no figure', () => {
    assert.match(parseError('< 500ms').message, /no figure before '<'/)
  })

  it('no target', () => {
    assert.match(parseError('load.smoke.latency_p95 <').message, /no target after '<'/)
  })

  it('unknown level', () => {
    const err = parseError('load.*.error_rate < 0.1% critical')
    assert.match(err.message, /unknown level 'critical'/)
    assert.match(err.message, /blocker, warn, off/)
  })

  it('words after the level', () => {
    assert.match(parseError('load.*.error_rate < 0.1% warn please').message, /unexpected 'please'/)
  })

  it('a target that is no number, duration, percentage or grade', () => {
    const err = parseError('load.*.latency_p95 < fast')
    assert.match(err.message, /'fast' is not a target/)
    assert.match(err.message, /500ms/)
  })

  it('a duration with an unknown unit', () => {
    assert.match(parseError('load.*.latency_p95 < 500msec').message, /'500msec' is not a target/)
  })

  it('a figure without a source', () => {
    assert.match(parseError('latency_p95 < 500ms').message, /has no source/)
  })

  it('a wildcard inside a segment', () => {
    assert.match(parseError('load.smoke.latency_* < 500ms').message, /whole segment/)
  })

  it('names the source in the message', () => {
    try {
      parseGate('tls.grade = A', 'config')
      assert.fail('expected an error')
    } catch (err) {
      assert.ok(err instanceof GateParseError)
      assert.match(err.message, /\(from config\)/)
    }
  })

  it('is a UsageError, so the CLI exits 2', () => {
    assert.ok(parseError('nonsense') instanceof UsageError)
  })
})

describe('parseGate: object form', () => {
  it('accepts a valid object and fills in the level', () => {
    const gate = parseGate({ figure: 'tls.grade', op: '>=', target: 'A', description: 'strong TLS' })
    assert.deepEqual(gate, { figure: 'tls.grade', op: '>=', target: 'A', level: 'blocker', description: 'strong TLS' })
  })

  it('keeps optional and an own source over the one given', () => {
    const gate = parseGate({ figure: 'tls.grade', op: '>=', target: 'A', optional: true, source: 'go-live' }, 'config')
    assert.equal(gate.optional, true)
    assert.equal(gate.source, 'go-live')
  })

  it('rejects an unknown operator', () => {
    const err = parseError({ figure: 'tls.grade', op: '=>', target: 'A' })
    assert.match(err.message, /unknown operator '=>'/)
    assert.match(err.message, /write '>='/)
    assert.match(parseError({ figure: 'tls.grade', op: 'regress<', target: '10%' }).message, /use one of < <= > >= == !=/)
  })

  it('rejects an empty figure', () => {
    assert.match(parseError({ figure: '  ', op: '<', target: 5 }).message, /the figure is empty/)
    assert.match(parseError({ op: '<', target: 5 }).message, /the figure is empty/)
  })

  it('rejects a bad level', () => {
    assert.match(parseError({ figure: 'tls.grade', op: '>=', target: 'A', level: 'error' }).message, /unknown level 'error'/)
  })

  it('rejects a target of the wrong type', () => {
    assert.match(parseError({ figure: 'tls.grade', op: '>=', target: true }).message, /must be a string or a number, not true/)
    assert.match(parseError({ figure: 'tls.grade', op: '>=', target: null }).message, /not null/)
    assert.match(parseError({ figure: 'tls.grade', op: '>=', target: Infinity }).message, /not a finite number/)
  })

  it('rejects an unknown field (a typo would otherwise be ignored)', () => {
    assert.match(parseError({ figure: 'tls.grade', op: '>=', target: 'A', levle: 'warn' }).message, /unknown field 'levle'/)
  })

  it('rejects a non-boolean optional', () => {
    assert.match(parseError({ figure: 'tls.grade', op: '>=', target: 'A', optional: 'yes' }).message, /'optional' must be true or false/)
  })

  it('rejects things that are neither string nor object', () => {
    assert.match(parseError(42).message, /a gate is a string or an object/)
    assert.match(parseError(null).message, /a gate is a string or an object/)
  })
})
