import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { lookup, parseJsonTemplate, parseTemplate, render, renderJson } from '../../scenarios/template.js'

/** Renders and collects the names reported missing. */
function renderCollect(text: string, vars: Record<string, unknown>): { out: string; missing: string[] } {
  const missing: string[] = []
  const out = render(parseTemplate(text), vars, (name) => missing.push(name))
  return { out, missing }
}

describe('parseTemplate / render', () => {
  it('a text without variables is static and renders as itself', () => {
    const t = parseTemplate('/api/products?limit=20')
    assert.equal(t.static, '/api/products?limit=20')
    assert.deepEqual(t.parts, ['/api/products?limit=20'])
    const missing: string[] = []
    assert.equal(
      render(t, { limit: 5 }, (n) => missing.push(n)),
      '/api/products?limit=20',
    )
    assert.deepEqual(missing, [])
  })

  it('the empty string is static', () => {
    assert.equal(parseTemplate('').static, '')
  })

  it('a text with a variable is dynamic: literal parts and variable paths in order', () => {
    const t = parseTemplate('/api/products/{{productId}}/reviews')
    assert.equal(t.static, null)
    assert.deepEqual(t.parts, ['/api/products/', { path: ['productId'] }, '/reviews'])
    assert.equal(render(t, { productId: 17 }), '/api/products/17/reviews')
    assert.equal(render(t, { productId: 'abc' }), '/api/products/abc/reviews')
  })

  it('tolerates spaces inside the braces, adjacent and repeated variables', () => {
    const t = parseTemplate('{{ a }}{{b}}-{{a}}')
    assert.deepEqual(t.parts, [{ path: ['a'] }, { path: ['b'] }, '-', { path: ['a'] }])
    assert.equal(render(t, { a: 'x', b: 2 }), 'x2-x')
  })

  it('nested paths read into objects: {{user.name}}, {{a.b.c}}', () => {
    const t = parseTemplate('Hello {{user.name}} ({{a.b.c}})')
    assert.deepEqual(t.parts[1], { path: ['user', 'name'] })
    assert.equal(render(t, { user: { name: 'Ann' }, a: { b: { c: 0 } } }), 'Hello Ann (0)')
  })

  it('builtins like __VU and __ITER are variables', () => {
    assert.equal(render(parseTemplate('vu-{{__VU}}-{{__ITER}}'), { __VU: 3, __ITER: 0 }), 'vu-3-0')
  })

  it('what is not a variable name stays literal text', () => {
    for (const text of ['{{}}', '{{ 1abc }}', '{{a-b}}', '{a}', '{{a.}}']) {
      const t = parseTemplate(text)
      assert.equal(t.static, text, text)
    }
  })

  it('a missing variable renders empty and is reported by its dotted name', () => {
    const { out, missing } = renderCollect('/x/{{id}}/y/{{user.name}}/z/{{present}}', { user: {}, present: 'ok' })
    assert.equal(out, '/x//y//z/ok')
    assert.deepEqual(missing, ['id', 'user.name'])
  })

  it('a null variable, or a path through a primitive, counts as missing', () => {
    const { out, missing } = renderCollect('[{{token}}][{{user.name.first}}]', { token: null, user: { name: 'Ann' } })
    assert.equal(out, '[][]')
    assert.deepEqual(missing, ['token', 'user.name.first'])
  })

  it('falsy values that exist render as text, not as missing', () => {
    const { out, missing } = renderCollect('{{zero}}|{{no}}|{{empty}}', { zero: 0, no: false, empty: '' })
    assert.equal(out, '0|false|')
    assert.deepEqual(missing, [])
  })

  it('object values render as JSON', () => {
    assert.equal(render(parseTemplate('q={{filter}}'), { filter: { a: [1, 2] } }), 'q={"a":[1,2]}')
  })

  it('render works without a missing callback', () => {
    assert.equal(render(parseTemplate('a{{nope}}b'), {}), 'ab')
  })

  it('lookup follows a path and returns undefined past the end', () => {
    assert.equal(lookup({ a: { b: [10, 20] } }, ['a', 'b', '1']), 20)
    assert.equal(lookup({ a: 1 }, ['a', 'b']), undefined)
    assert.equal(lookup({}, ['x']), undefined)
  })

  it('regression: the same template parsed twice (and after a longer one) parses the same', () => {
    const long = 'x'.repeat(60) + '{{late}}'
    const short = '{{v}}'
    const first = parseTemplate(short)
    parseTemplate(long)
    const again = parseTemplate(short)
    assert.deepEqual(again, first)
    assert.equal(again.static, null)
    assert.equal(render(again, { v: 'ok' }), 'ok')
  })
})

describe('parseJsonTemplate / renderJson', () => {
  it('a body without variables is pre-serialised once', () => {
    const t = parseJsonTemplate({ items: [{ productId: 3, quantity: 1 }] })
    assert.deepEqual(t, { kind: 'static', text: '{"items":[{"productId":3,"quantity":1}]}' })
    assert.equal(renderJson(t, { productId: 99 }), '{"items":[{"productId":3,"quantity":1}]}')
  })

  it('a body with a variable anywhere inside is dynamic', () => {
    assert.equal(parseJsonTemplate({ a: { b: ['x', '{{deep}}'] } }).kind, 'dynamic')
    assert.equal(parseJsonTemplate('{{whole}}').kind, 'dynamic')
  })

  it("a string that is exactly one {{var}} keeps the value's type; mixed strings become text", () => {
    const t = parseJsonTemplate({
      productId: '{{productId}}',
      quantity: '{{ qty }}',
      gift: '{{gift}}',
      meta: '{{meta}}',
      label: 'item-{{productId}}',
      fixed: 7,
      lines: [{ id: '{{user.id}}' }],
    })
    const out = JSON.parse(renderJson(t, { productId: 42, qty: 2, gift: false, meta: { a: 1 }, user: { id: 'u-1' } }))
    assert.deepEqual(out, {
      productId: 42,
      quantity: 2,
      gift: false,
      meta: { a: 1 },
      label: 'item-42',
      fixed: 7,
      lines: [{ id: 'u-1' }],
    })
    assert.equal(typeof out.productId, 'number')
  })

  it('a missing whole-string variable becomes null and is reported; inside text it renders empty', () => {
    const missing: string[] = []
    const t = parseJsonTemplate({ token: '{{token}}', note: 'by {{user.name}}!' })
    const out = JSON.parse(renderJson(t, {}, (n) => missing.push(n)))
    assert.deepEqual(out, { token: null, note: 'by !' })
    assert.deepEqual(missing, ['token', 'user.name'])
  })

  it('regression: a JSON template parsed twice (and after a longer one) stays dynamic', () => {
    const body = { username: '{{user.username}}' }
    const long = { padding: 'p'.repeat(80), value: '{{x}}' }
    const a = parseJsonTemplate(body)
    const b = parseJsonTemplate(body)
    const c = parseJsonTemplate(long)
    const d = parseJsonTemplate({ v: '{{v}}' })
    assert.deepEqual([a.kind, b.kind, c.kind, d.kind], ['dynamic', 'dynamic', 'dynamic', 'dynamic'])
    assert.equal(renderJson(b, { user: { username: 'ann' } }), '{"username":"ann"}')
    assert.equal(renderJson(d, { v: 1 }), '{"v":1}')
  })
})
