import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expandEnvVars, redactSecrets } from '../../core/env-vars.js'
import { loadConfig, resolveEnvironment } from '../../core/load-config.js'
import { ConfigError } from '../../core/errors.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/configs/', import.meta.url))

test('expands ${env:NAME} anywhere in a string, in objects and lists, and records where', () => {
  const { value, expansions } = expandEnvVars(
    { a: 'Bearer ${env:TOKEN}', list: ['x', '${env:HOST}:${env:PORT}'], n: 3, flag: true, none: null },
    { file: 'c.yaml', env: { TOKEN: 'abc123', HOST: 'db', PORT: '5432' } },
  )
  assert.deepEqual(value, { a: 'Bearer abc123', list: ['x', 'db:5432'], n: 3, flag: true, none: null })
  assert.deepEqual(expansions, [
    { path: 'a', vars: [{ name: 'TOKEN', value: 'abc123' }] },
    {
      path: 'list[1]',
      vars: [
        { name: 'HOST', value: 'db' },
        { name: 'PORT', value: '5432' },
      ],
    },
  ])
})

test('$${env:NAME} is a literal, and text without references is untouched', () => {
  const { value, expansions } = expandEnvVars({ a: 'cost: $${env:X}', b: 'plain $HOME ${other}' }, { file: 'c.yaml', env: {} })
  assert.deepEqual(value, { a: 'cost: ${env:X}', b: 'plain $HOME ${other}' })
  assert.deepEqual(expansions, [])
})

test('a missing variable names the path and the variable', () => {
  assert.throws(
    () => expandEnvVars({ environments: { staging: { headers: { 'X-Key': '${env:API_KEY}' } } } }, { file: 'c.yaml', env: {} }),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.file === 'c.yaml' &&
      err.path === 'environments.staging.headers["X-Key"]' &&
      err.problem.includes('API_KEY is not set') &&
      err.fix.includes('set API_KEY'),
  )
})

test('an empty variable is refused too (CI leaves unset secrets empty)', () => {
  assert.throws(
    () => expandEnvVars({ t: '${env:EMPTY}' }, { file: 'c.yaml', env: { EMPTY: '' } }),
    (err: unknown) => err instanceof ConfigError && err.problem.includes('EMPTY is set but empty'),
  )
})

test('a malformed reference is a ConfigError', () => {
  assert.throws(
    () => expandEnvVars({ t: '${env:MY-TOKEN}' }, { file: 'c.yaml', env: { 'MY-TOKEN': 'x' } }),
    (err: unknown) => err instanceof ConfigError && err.path === 't' && err.problem.includes('malformed'),
  )
})

test('redactSecrets hides every variable value, longest first', () => {
  const expansions = [
    {
      path: 'a',
      vars: [
        { name: 'PASS', value: 'hunter2' },
        { name: 'LONG', value: 'hunter2hunter2' },
      ],
    },
  ]
  assert.equal(redactSecrets('x hunter2hunter2 y hunter2', expansions), 'x <value of ${env:LONG} hidden> y <value of ${env:PASS} hidden>')
})

test('loading: a secret referenced via ${env:X} never appears in an error message', async () => {
  const secret = 'tok-Very-Secret-9431'
  // each file below has one deliberate problem whose message would quote the value
  const ok = await loadConfig({ cwd: FIXTURES, file: 'good/golive.config.yaml', env: { GOLIVE_TEST_TOKEN: secret } })
  assert.equal(ok.config.environments.staging?.auth?.token, secret, 'the secret does reach the config')

  for (const [name, yaml] of [
    ['baseUrl', 'environments:\n  s:\n    baseUrl: ${env:GOLIVE_SECRET}\n'],
    ['gate', 'environments:\n  s:\n    baseUrl: demo\ngates:\n  rules: ["${env:GOLIVE_SECRET}"]\n'],
    ['defaultEnv', 'defaultEnv: ${env:GOLIVE_SECRET}\nenvironments:\n  s:\n    baseUrl: demo\n'],
    ['ca', 'environments:\n  s:\n    baseUrl: demo\n    ca: ./${env:GOLIVE_SECRET}.pem\n'],
  ] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'golive-secret-'))
    try {
      writeFileSync(join(dir, 'golive.config.yaml'), yaml)
      // control: the same file with the value written literally shows it, so the check can fail
      writeFileSync(join(dir, 'literal.yaml'), yaml.replace('${env:GOLIVE_SECRET}', secret))
      // loading and choosing the environment, as every command does (the CA file is checked then)
      const literal = await loadConfig({ cwd: dir, file: 'literal.yaml', env: {} })
        .then((l) => {
          resolveEnvironment(l)
          return null
        })
        .catch((e: Error) => e)
      assert.ok(literal?.message.includes(secret), `${name}: control case should show the literal value`)

      const err = await loadConfig({ cwd: dir, env: { GOLIVE_SECRET: secret } })
        .then((l) => {
          resolveEnvironment(l)
          return null
        })
        .catch((e: Error) => e)
      assert.ok(err instanceof ConfigError, `${name}: expected a ConfigError`)
      assert.ok(!err.message.includes(secret), `${name}: secret leaked:\n${err.message}`)
      assert.ok(!err.problem.includes(secret) && !err.fix.includes(secret), `${name}: secret leaked in fields`)
      assert.ok(err.message.includes('${env:GOLIVE_SECRET}'), `${name}: should name the variable:\n${err.message}`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
})
