import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { compileScenario, type PlanStep } from '../../scenarios/compile.js'
import type { Step } from '../../scenarios/dsl.js'
import { judge } from '../../scenarios/step-checks.js'
import type { Exchange } from '../../scenarios/engines/embedded/http.js'

/** A step as the engine sees it: compiled from the DSL, so judge gets exactly what it runs on. */
function step(s: Partial<Step> = {}): PlanStep {
  const plan = compileScenario(
    { name: 'judge', profile: { model: 'closed', vus: 1, duration: '1s' }, steps: [{ name: 'step', path: '/', ...s }] },
    { file: 'judge.ts' },
  )
  return plan.steps[0]!
}
function res(status: number, body: unknown = null, headers: Exchange['headers'] = {}): Exchange {
  const text = body === null ? null : typeof body === 'string' ? body : JSON.stringify(body)
  return {
    status,
    headers,
    text,
    bytes: text?.length ?? 0,
    decodedBytes: text?.length ?? 0,
    truncated: false,
    contains: null,
    proto: 'http/1.1',
    ms: 3,
    setCookie: null,
    location: null,
  }
}

describe('judge: status', () => {
  it('no expected statuses: 2xx and 3xx pass, 4xx and 5xx fail', () => {
    for (const s of [200, 201, 204, 301, 304, 399]) {
      const j = judge(step(), res(s))
      assert.equal(j.statusFailed, false, String(s))
      assert.deepEqual(j.failures, [])
      assert.equal(j.checksPassed, 0)
    }
    for (const s of [400, 404, 429, 500, 503]) {
      const j = judge(step(), res(s))
      assert.equal(j.statusFailed, true, String(s))
      assert.deepEqual(j.failures, [`status ${s}`])
    }
  })

  it('a listed 4xx is expected, not an error, and counts as a passed check', () => {
    const j = judge(step({ check: { status: [200, 404] } }), res(404))
    assert.equal(j.statusFailed, false)
    assert.deepEqual(j.failures, [])
    assert.equal(j.checksPassed, 1)
    assert.equal(judge(step({ check: { status: 409 } }), res(409)).statusFailed, false)
  })

  it('an unlisted status fails even when it is 2xx; an unlisted 500 fails', () => {
    const created = judge(step({ check: { status: 201 } }), res(200))
    assert.equal(created.statusFailed, true)
    assert.deepEqual(created.failures, ['status 200, expected 201'])
    assert.equal(created.checksPassed, 0)
    const five = judge(step({ check: { status: [200, 201] } }), res(500))
    assert.equal(five.statusFailed, true)
    assert.deepEqual(five.failures, ['status 500, expected 200 or 201'])
  })
})

describe('judge: body checks', () => {
  it('bodyContains passes or names the missing text', () => {
    const s = step({ check: { bodyContains: '"ok":true' } })
    assert.deepEqual(judge(s, res(200, { ok: true })), { statusFailed: false, checksPassed: 1, failures: [], captured: {} })
    const miss = judge(s, res(200, { ok: false }))
    assert.equal(miss.checksPassed, 0)
    assert.deepEqual(miss.failures, [`body does not contain '"ok":true'`])
    assert.deepEqual(judge(s, res(200, null)).failures, [`body does not contain '"ok":true'`])
  })

  it('json equals: scalars, objects and arrays by value', () => {
    const s = step({ check: { json: { '$.total': 3, '$.user': { id: 1, name: 'ann' }, '$.tags': ['a', 'b'], '$.items[0].sku': 'X1' } } })
    const body = { total: 3, user: { id: 1, name: 'ann' }, tags: ['a', 'b'], items: [{ sku: 'X1' }] }
    const ok = judge(s, res(200, body))
    assert.deepEqual(ok.failures, [])
    assert.equal(ok.checksPassed, 4)
    const bad = judge(s, res(200, { ...body, total: '3', tags: ['b', 'a'] }))
    assert.deepEqual(bad.failures, ['$.total is "3", expected 3', '$.tags is ["b","a"], expected ["a","b"]'])
    assert.equal(bad.checksPassed, 2)
  })

  it('json equals ignores key order in objects, but not order in arrays (regression)', () => {
    const s = step({ check: { json: { '$.user': { id: 1, name: 'ann', roles: ['a', 'b'] } } } })
    assert.deepEqual(judge(s, res(200, '{"user":{"roles":["a","b"],"name":"ann","id":1}}')).failures, [])
    assert.equal(judge(s, res(200, '{"user":{"roles":["b","a"],"name":"ann","id":1}}')).failures.length, 1)
    assert.equal(judge(s, res(200, '{"user":{"id":1,"name":"ann"}}')).failures.length, 1, 'a missing key')
    assert.equal(judge(s, res(200, '{"user":{"id":1,"name":"ann","roles":["a","b"],"x":0}}')).failures.length, 1, 'an extra key')
    assert.equal(judge(step({ check: { json: { '$.v': [] } } }), res(200, '{"v":{}}')).failures.length, 1, '[] is not {}')
    assert.equal(judge(step({ check: { json: { '$.v': null } } }), res(200, '{"v":{}}')).failures.length, 1, 'null is not {}')
  })

  it('json exists: true wants the path present (null counts), false wants it absent', () => {
    const s = step({ check: { json: { '$.id': { exists: true }, '$.error': { exists: false } } } })
    assert.equal(judge(s, res(200, { id: 7 })).checksPassed, 2)
    assert.equal(judge(s, res(200, { id: null })).checksPassed, 2)
    const wrong = judge(s, res(200, { error: 'boom' }))
    assert.equal(wrong.checksPassed, 0)
    assert.deepEqual(wrong.failures, ['$.id is missing, expected {"exists":true}', '$.error is "boom", expected {"exists":false}'])
  })

  it('a body that is not JSON makes every json path missing', () => {
    const s = step({ check: { json: { '$.id': { exists: true }, '$.gone': { exists: false } } } })
    const j = judge(s, res(200, '<html>oops</html>'))
    assert.deepEqual(j.failures, ['$.id is missing, expected {"exists":true}'])
    assert.equal(j.checksPassed, 1)
  })

  it('a failed status does not skip the body checks', () => {
    const j = judge(step({ check: { status: 200, bodyContains: 'maintenance' } }), res(503, 'down for maintenance'))
    assert.equal(j.statusFailed, true)
    assert.equal(j.checksPassed, 1)
    assert.deepEqual(j.failures, ['status 503, expected 200'])
  })
})

describe('judge: captures', () => {
  it("from a JSON path, keeping the value's type", () => {
    const j = judge(
      step({ capture: { token: { json: '$.token' }, productId: { json: '$.items[1].id' } } }),
      res(200, { token: 'abc', items: [{ id: 1 }, { id: 42 }] }),
    )
    assert.deepEqual(j.captured, { token: 'abc', productId: 42 })
    assert.equal(j.checksPassed, 2)
    assert.deepEqual(j.failures, [])
  })

  it('from a header, whatever case the scenario wrote; the first of repeated headers', () => {
    const j = judge(
      step({ capture: { loc: { header: 'Location' }, cookie: { header: 'set-cookie' } } }),
      res(302, null, { location: '/orders/9', 'set-cookie': ['a=1', 'b=2'] }),
    )
    assert.deepEqual(j.captured, { loc: '/orders/9', cookie: 'a=1' })
    assert.equal(j.checksPassed, 2)
  })

  it('from a regex: the first group, or the whole match without groups', () => {
    const j = judge(step({ capture: { id: { regex: 'order-(\\d+)' }, word: { regex: 'ord\\w+' } } }), res(200, 'created order-314 ok'))
    assert.deepEqual(j.captured, { id: '314', word: 'order' })
  })

  it('a capture that finds nothing is reported and not captured', () => {
    const j = judge(step({ capture: { token: { json: '$.token' }, loc: { header: 'location' }, id: { regex: 'id=(\\d+)' } } }), res(200, { nope: 1 }))
    assert.deepEqual(j.captured, {})
    assert.equal(j.checksPassed, 0)
    assert.deepEqual(j.failures, [
      'capture token: $.token not found in the response',
      'capture loc: location not found in the response',
      'capture id: id=(\\d+) not found in the response',
    ])
    assert.equal(j.statusFailed, false, 'a failed capture is a check failure, not a status failure')
  })
})

describe('judge: checksPassed', () => {
  const s = step({
    check: { status: [200, 201], bodyContains: 'id', json: { '$.id': { exists: true }, '$.state': 'open' } },
    capture: { id: { json: '$.id' }, loc: { header: 'location' } },
  })

  it('counts every passed check: status, bodyContains, json checks, captures', () => {
    const j = judge(s, res(201, { id: 5, state: 'open' }, { location: '/o/5' }))
    assert.equal(j.checksPassed, 6)
    assert.deepEqual(j.failures, [])
    assert.deepEqual(j.captured, { id: 5, loc: '/o/5' })
  })

  it('counts only the passed ones when some fail; each failure is listed', () => {
    const j = judge(s, res(201, { id: 5, state: 'closed' }))
    assert.equal(j.checksPassed, 4)
    assert.equal(j.failures.length, 2)
    assert.deepEqual(j.captured, { id: 5 })
  })

  it('a status with no list is not counted as a check', () => {
    assert.equal(judge(step({ check: { bodyContains: 'x' } }), res(200, 'x')).checksPassed, 1)
  })
})
