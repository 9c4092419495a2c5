import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BodySink } from '../../scenarios/engines/embedded/body-sink.js'
import { parseByteSize, formatByteSize } from '../../scenarios/byte-size.js'
import { limitText, utf8Length } from '../../scenarios/step-checks.js'
import { parseHtml, selectValue, compileSelector } from '../../scenarios/html-capture.js'

const feed = (sink: BodySink, text: string, size: number) => {
  const b = Buffer.from(text)
  for (let i = 0; i < b.length; i += size) sink.push(b.subarray(i, i + size))
}

test('bodyContains is found streaming, whatever chunk boundary splits the needle', () => {
  const text = `${'x'.repeat(97)}needle-123${'y'.repeat(50)}`
  for (const size of [1, 2, 3, 7, 10, 64, 1000]) {
    const s = new BodySink({ keep: false, contains: 'needle-123', limit: 1 << 20 })
    feed(s, text, size)
    assert.equal(s.found, true, `chunks of ${size}`)
    assert.equal(s.text(), null, 'nothing kept')
    assert.equal(s.decoded, Buffer.byteLength(text))
  }
  const miss = new BodySink({ keep: false, contains: 'needle-124', limit: 1 << 20 })
  feed(miss, text, 3)
  assert.equal(miss.found, false)
})

test('the sink looks at most at limit bytes, says it was cut, and keeps text only when asked', () => {
  const s = new BodySink({ keep: true, contains: 'tail', limit: 100 })
  feed(s, `${'a'.repeat(150)}tail`, 40)
  assert.equal(s.truncated, true)
  assert.equal(s.done, true)
  assert.equal(s.found, false, 'the needle past the limit is not seen')
  assert.equal(s.text(), 'a'.repeat(100))
  const within = new BodySink({ keep: true, contains: null, limit: 100 })
  feed(within, 'short body', 4)
  assert.deepEqual([within.truncated, within.text()], [false, 'short body'])
})

test('byte sizes: numbers and unit strings; bad ones are refused', () => {
  assert.equal(parseByteSize(1000), 1000)
  assert.equal(parseByteSize('4MiB'), 4 * 1024 * 1024)
  assert.equal(parseByteSize('512 KiB'), 512 * 1024)
  assert.equal(parseByteSize('1mb'), 1_000_000)
  for (const bad of [0, -1, 1.5, '4 lots', '', 'MiB']) assert.throws(() => parseByteSize(bad as never), String(bad))
  assert.equal(formatByteSize(1024 * 1024), '1 MiB')
  assert.equal(formatByteSize(1000), '1000 B')
})

test('limitText cuts at a UTF-8 byte count, never inside a character', () => {
  for (const t of ['abc', 'é', '€', '😀', 'a😀é€']) assert.equal(utf8Length(t), Buffer.byteLength(t), t)
  assert.deepEqual(limitText('a😀é€', 5), { text: 'a😀', truncated: true, bytes: 10 })
  assert.deepEqual(limitText('a😀é€', 4), { text: 'a', truncated: true, bytes: 10 })
  assert.deepEqual(limitText('abcdef', 3), { text: 'abc', truncated: true, bytes: 6 })
  assert.deepEqual(limitText('abc', 3), { text: 'abc', truncated: false, bytes: 3 })
})

test('html captures: attribute or text of the first match, entities decoded; bad selectors throw', () => {
  const doc = parseHtml('<form><input name="csrf" value="a&amp;b"><input name="csrf" value="second"><p class="m"> Hi <b>there</b> </p></form>')
  assert.equal(selectValue(doc, 'input[name=csrf]', 'value'), 'a&b')
  assert.equal(selectValue(doc, 'p.m', undefined), 'Hi there')
  assert.equal(selectValue(doc, 'input[name=missing]', 'value'), undefined)
  assert.equal(selectValue(doc, 'p.m', 'data-x'), undefined)
  assert.throws(() => compileSelector('input[name='))
})

test('judge: a failure on a body cut at maxBodyBytes says so with BODY_TOO_LARGE; a pass within the limit is a pass', async () => {
  const { compileScenario } = await import('../../scenarios/compile.js')
  const { judge } = await import('../../scenarios/step-checks.js')
  const plan = compileScenario(
    {
      name: 'j',
      maxBodyBytes: '2KiB',
      profile: { model: 'closed', vus: 1, duration: '1s' },
      steps: [
        { name: 'a', path: '/', check: { bodyContains: 'x', json: { '$.ok': true } }, capture: { c: { html: 'input[name=csrf]', attr: 'value' } } },
        { name: 'b', path: '/', maxBodyBytes: 10, check: { bodyContains: 'x' } },
      ],
    },
    { file: 'j.ts' },
  )
  const [a, b] = plan.steps
  assert.equal(a!.maxBodyBytes, 2048)
  assert.equal(b!.maxBodyBytes, 10)
  assert.deepEqual(a!.read, { keep: true, contains: 'x', limit: 2048 })
  const cut = judge(a!, { status: 200, headers: {}, text: '<p>', truncated: true, contains: false })
  assert.deepEqual(cut.failures, [
    "BODY_TOO_LARGE: body does not contain 'x' within the first 2 KiB (maxBodyBytes)",
    'BODY_TOO_LARGE: $.ok is missing, expected true (the body is larger than maxBodyBytes, 2 KiB)',
    'BODY_TOO_LARGE: capture c: input[name=csrf] (attribute value) not found within the first 2 KiB (maxBodyBytes)',
  ])
  const whole = judge(a!, { status: 200, headers: {}, text: '<input name=csrf value=t1>', contains: false })
  assert.deepEqual(whole.failures.slice(0, 1), ["body does not contain 'x'"])
  assert.deepEqual(whole.captured, { c: 't1' })
  // found within the limit: no error, however long the body was
  assert.deepEqual(judge(b!, { status: 200, headers: {}, text: null, truncated: true, contains: true }).failures, [])
})
