// The `when` language (scenarios/expr.ts): what parses, what it means, and where a bad one fails.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ExprError, evalExpr, parseExpr } from '../../scenarios/expr.js'

const when = (src: string, vars: Record<string, unknown> = {}) => evalExpr(parseExpr(src), vars)

test('comparisons, &&, ||, !, parentheses, numbers, strings and variables', () => {
  const v = { cartSize: 3, status: 'open', n: '12', done: false, items: [1], none: [], user: { role: 'admin' } }
  const cases: [string, boolean][] = [
    ['{{cartSize}} > 0', true],
    ['{{cartSize}} >= 3', true],
    ['{{cartSize}} < 3', false],
    ['{{cartSize}} <= -1', false],
    ['{{cartSize}} == 3', true],
    ['{{cartSize}} != 3', false],
    // a captured header or regex is text: numeric text compares as a number
    ['{{n}} > 9', true],
    ['{{n}} == 12', true],
    ['{{n}} == 12.0', true],
    ["{{status}} == 'open'", true],
    ['{{status}} != "open"', false],
    ["{{user.role}} == 'admin'", true],
    ["'b' > 'a'", true],
    ['!{{done}}', true],
    ['{{done}} == false', true],
    ['!!{{done}}', false],
    ['{{items}}', true],
    ['{{none}}', false],
    ['!{{none}}', true],
    ["{{cartSize}} > 0 && {{status}} == 'open'", true],
    ['{{cartSize}} > 5 || {{done}}', false],
    // && binds tighter than ||; parentheses change it
    ['true || false && false', true],
    ['(true || false) && false', false],
    ["!({{cartSize}} > 0 && {{status}} == 'closed')", true],
    ["'it\\'s' == \"it's\"", true],
    ['1.5e1 == 15', true],
  ]
  for (const [src, want] of cases) assert.equal(when(src, v), want, src)
})

test('short-circuit: the right side is not read when the left decides', () => {
  assert.equal(when('false && {{missing}} > 0'), false)
  assert.equal(when('true || {{missing}} > 0'), true)
})

test('at run time a missing variable or a meaningless ordering is an error, never false', () => {
  assert.throws(() => when('{{cartSize}} > 0'), /variable \{\{cartSize\}\} is not set \(did an earlier capture fail\?\)/)
  assert.throws(() => when('{{s}} > 2', { s: 'abc' }), /"abc" > 2: > compares two numbers \(or two texts\)/)
})

test('a parse error says what and where', () => {
  const bad: [string, RegExp, number][] = [
    ['{{a}} >> 0', /'>' where a value is expected/, 7],
    ['{{a}} = 1', /'=' alone is not an operator: compare with ==/, 6],
    ['{{a}} & {{b}}', /'&' alone is not an operator: write &&/, 6],
    ['({{a}} > 1', /a \( has no matching \)/, 10],
    ['a > 1', /'a' is not a value: variables are written \{\{a\}\}/, 0],
    ['{{a}} > 1 {{b}}', /unexpected value after a complete expression/, 10],
    ['1 < {{a}} < 3', /comparisons do not chain/, 10],
    ["'open", /has no closing '/, 0],
    ['', /the expression is empty/, 0],
    ['{{a}} >', /ends where a value is expected/, 7],
    ['{{a b}}', /is not a variable/, 0],
    ['{{a}} + 1', /unexpected '\+'/, 6],
    ['{{a}}-1', /unexpected '-'/, 5],
  ]
  for (const [src, message, at] of bad) {
    assert.throws(
      () => parseExpr(src),
      (e: ExprError) => e instanceof ExprError && message.test(e.message) && e.at === at,
      src,
    )
  }
})

test('the parsed form is plain data (it crosses into worker threads and the k6 script)', () => {
  const e = parseExpr("{{a.b}} > 1 && !({{c}} == 'x')")
  assert.deepEqual(JSON.parse(JSON.stringify(e)), e)
})
