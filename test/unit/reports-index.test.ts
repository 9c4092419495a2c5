import { test } from 'node:test'
import assert from 'node:assert/strict'
import { REPORTERS, renderAll, type Reporter } from '../../reports/index.js'
import { fixture } from '../support/report-fixture.js'

test('the registry holds the six formats by name', () => {
  assert.deepEqual(Object.keys(REPORTERS), ['terminal', 'json', 'scorecard', 'junit', 'markdown', 'html'])
  for (const [name, r] of Object.entries(REPORTERS)) assert.equal(r.format, name)
  assert.deepEqual(
    Object.values(REPORTERS).map((r) => r.fileName),
    [null, 'results.json', 'scorecard.json', 'junit.xml', 'report.md', 'report.html'],
  )
})

test('renderAll renders every format in order', () => {
  const out = renderAll(['junit', 'terminal', 'json', 'scorecard', 'markdown'], fixture())
  assert.deepEqual(
    out.map((r) => r.format),
    ['junit', 'terminal', 'json', 'scorecard', 'markdown'],
  )
  for (const r of out) {
    assert.equal(r.error, undefined, r.format)
    assert.ok((r.content ?? '').length > 100, r.format)
  }
  assert.match(out[0]!.content!, /^<\?xml/)
})

test('a throwing reporter yields an error entry; the others still render', () => {
  const boom: Reporter = {
    format: 'boom',
    fileName: 'boom.txt',
    render() {
      throw new Error('kaput:\u001b[31m <script>\nstack')
    },
  }
  const out = renderAll(['json', 'boom', 'markdown'], fixture(), {}, { ...REPORTERS, boom })
  assert.deepEqual(
    out.map((r) => r.format),
    ['json', 'boom', 'markdown'],
  )
  assert.deepEqual(out[1], { format: 'boom', fileName: 'boom.txt', error: 'kaput: <script> stack' })
  assert.ok(out[0]!.content?.startsWith('{'))
  assert.ok(out[2]!.content?.startsWith('## '))
})

test('a non-Error throw and a non-string result are contained too', () => {
  const registry: Record<string, Reporter> = {
    str: {
      format: 'str',
      fileName: null,
      render() {
        throw 'plain string'
      },
    },
    undef: { format: 'undef', fileName: null, render: () => undefined as unknown as string },
  }
  const out = renderAll(['str', 'undef'], fixture(), {}, registry)
  assert.equal(out[0]!.error, 'plain string')
  assert.match(out[1]!.error ?? '', /not a string/)
})

test('unknown formats, including prototype keys, are errors rather than crashes', () => {
  const out = renderAll(['pdf', 'constructor', '__proto__', 'json'], fixture())
  for (const r of out.slice(0, 3)) assert.match(r.error ?? '', /^unknown report format/, r.format)
  assert.ok(out[3]!.content)
})

test('a format asked for twice renders once', () => {
  assert.equal(renderAll(['json', 'json'], fixture()).length, 1)
})
