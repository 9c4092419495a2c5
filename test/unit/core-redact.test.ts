import { afterEach, test } from 'node:test'
import assert from 'node:assert/strict'
import { clearSecrets, redact, redactDeep, registerConfigSecrets, registerSecret, secrets } from '../../core/redact.js'
import { safeJson, terminalText } from '../../reports/sanitize.js'

afterEach(() => clearSecrets())

test('config secrets: ${env:} values, auth, userinfo, database passwords, secret headers and settings', () => {
  registerConfigSecrets(
    {
      environments: {
        staging: {
          baseUrl: 'https://robot:s3cr3t-pass@staging.example.com/base',
          headers: { 'x-api-key': 'literal-api-key', accept: 'application/json', 'x-tenant-signature': 'sig-value' },
          secretHeaders: ['X-Tenant-Signature'],
          auth: { type: 'basic', username: 'ann', password: 'ann-password' },
          checks: { 'backup-restore': { databaseUrl: 'postgresql://pg:db-password@127.0.0.1/app' }, failover: { writePassword: 'probe-pass' } },
        },
      },
    },
    [{ path: 'environments.staging.vars.token', vars: [{ name: 'TOKEN', value: 'tok/en+value=' }] }],
  )
  const text =
    'tok/en+value= tok%2Fen%2Bvalue%3D s3cr3t-pass literal-api-key ann-password db-password probe-pass ' +
    `${Buffer.from('ann:ann-password').toString('base64')} ${Buffer.from('robot:s3cr3t-pass').toString('base64')} application/json`
  const out = redact(text)
  assert.ok(!redact('sig-value').includes('sig-value'), 'a header the config marks secret')
  for (const s of [
    'tok/en',
    's3cr3t',
    'literal-api-key',
    'ann-password',
    'db-password',
    'probe-pass',
    Buffer.from('ann:ann-password').toString('base64'),
    Buffer.from('robot:s3cr3t-pass').toString('base64'),
  ]) {
    assert.ok(!out.includes(s), `${s} still in ${out}`)
  }
  assert.match(out, /<value of \$\{env:TOKEN\} hidden>/)
  assert.match(out, /application\/json$/, 'a header that is not a credential stays')
  assert.equal(secrets().find((s) => s.value === 'tok/en+value=')?.env, 'TOKEN')
})

test('redactDeep hides values in a copy (keys are structure and stay), and JSON-escaped forms of a secret', () => {
  registerSecret('pa"ss\\word', 'auth.password')
  const input = { a: ['x pa"ss\\word y', 3], 'load.checkout.p95': 'pa"ss\\word' }
  const out = redactDeep(input)
  assert.ok(!JSON.stringify(out).includes('ss\\\\word'))
  assert.deepEqual(Object.keys(out), ['a', 'load.checkout.p95'])
  assert.deepEqual(input.a, ['x pa"ss\\word y', 3], 'the input is untouched')
  assert.ok(!redact(JSON.stringify(input)).includes('ss\\\\word'), 'the escaped form in a JSON text is hidden too')
})

test('${env:} values that choose what runs (defaultEnv, engine, scenarios, outDir) are not secrets', () => {
  registerConfigSecrets({}, [
    { path: 'defaultEnv', vars: [{ name: 'GOLIVE_ENV', value: 'staging' }] },
    { path: 'environments.staging.engine', vars: [{ name: 'ENGINE', value: 'embedded' }] },
    { path: 'environments.staging.scenarios[0]', vars: [{ name: 'SCN', value: 'checkout' }] },
    { path: 'environments.staging.vars.tenant', vars: [{ name: 'TENANT', value: 'acme-tenant' }] },
  ])
  assert.equal(redact('staging embedded checkout acme-tenant'), 'staging embedded checkout <value of ${env:TENANT} hidden>')
})

test('short values are not secrets (they would garble every text)', () => {
  registerSecret('on', 'value of ${env:FLAG}', 'FLAG')
  registerSecret('abc', 'auth.token')
  assert.equal(redact('on abc'), 'on abc')
})

test('the terminal sanitiser strips ESC, OSC, BEL, C1 and bidi; safe JSON escapes them', () => {
  const hostile = 'a\u001b[31mred\u001b]8;;http://x\u0007link\u001b]8;;\u0007\u0085\u009b2J\u202eevil\u2066b'
  assert.equal(terminalText(hostile), 'aredlinkevilb')
  const json = safeJson({ s: hostile })
  assert.ok(!/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(json.replace(/\n/g, '')), json)
  assert.deepEqual(JSON.parse(json), { s: hostile }, 'the data is unchanged')
})
