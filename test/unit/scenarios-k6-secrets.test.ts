import { afterEach, test } from 'node:test'
import assert from 'node:assert/strict'
import { clearSecrets, registerSecret } from '../../core/redact.js'
import { UsageError } from '../../core/errors.js'
import { jsLiteral, withoutUserinfo } from '../../scenarios/engines/k6/secret-literal.js'

afterEach(() => clearSecrets())

test('a ${env:} value in the plan becomes a run-time __ENV read; the rest stays JSON', () => {
  registerSecret('tok-123456', 'value of ${env:TOKEN}', 'TOKEN')
  const used = new Set<string>()
  const code = jsLiteral({ vars: { auth: 'Bearer tok-123456!', plain: 'x' }, n: 3, list: [null, true] }, used, 'the scenario')
  assert.equal(code, '{"vars":{"auth":("Bearer " + __goliveSecret("TOKEN") + "!"),"plain":"x"},"n":3,"list":[null,true]}')
  assert.deepEqual([...used], ['TOKEN'])
  const __goliveSecret = (n: string) => ({ TOKEN: 'tok-123456' })[n]
  assert.deepEqual(new Function('__goliveSecret', `return ${code}`)(__goliveSecret), {
    vars: { auth: 'Bearer tok-123456!', plain: 'x' },
    n: 3,
    list: [null, true],
  })
})

test('a secret written literally in the config is refused, named by where it is, not shown', () => {
  registerSecret('literal-secret', 'environments.staging.auth.token')
  assert.throws(
    () => jsLiteral({ v: 'literal-secret' }, new Set(), 'the scenario'),
    (e: unknown) => e instanceof UsageError && e.message.includes('<environments.staging.auth.token hidden>') && !e.message.includes('literal-secret'),
  )
})

test('userinfo leaves the target URL', () => {
  assert.deepEqual(withoutUserinfo('http://u:p@127.0.0.1:8080/base'), { url: 'http://127.0.0.1:8080/base', hadUserinfo: true })
  assert.deepEqual(withoutUserinfo('http://127.0.0.1:8080'), { url: 'http://127.0.0.1:8080', hadUserinfo: false })
})
