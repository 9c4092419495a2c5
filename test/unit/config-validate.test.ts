import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { caFileErrors, configSchema, validateConfig } from '../../core/validate-config.js'
import { ConfigError } from '../../core/errors.js'
import { closest, formatPath, pointerToSegments } from '../../core/config-path.js'

const opts = { file: 'golive.config.yaml', dir: tmpdir() }

function problemOf(config: unknown): ConfigError {
  try {
    validateConfig(config, opts)
  } catch (err) {
    assert.ok(err instanceof ConfigError, `not a ConfigError: ${String(err)}`)
    return err
  }
  return assert.fail('the config was accepted')
}

const env = (e: Record<string, unknown>) => ({ environments: { staging: { baseUrl: 'https://staging.example.com', ...e } } })

test('a valid config is returned as is', () => {
  const config = {
    defaultEnv: 'staging',
    environments: { staging: { baseUrl: 'https://staging.example.com', auth: { type: 'basic', username: 'u', password: 'p' } }, demo: { baseUrl: 'demo' } },
    gates: { presets: ['go-live'], rules: ['load.*.latency_p95<500ms', 'tls.grade >= A+ warn', { figure: 'x', op: '!=', target: 0, level: 'off' }] },
    reports: { formats: ['markdown'] },
  }
  assert.equal(validateConfig(config, opts), config)
})

test('baseUrl: a number names the URL expected and what was found', () => {
  const err = problemOf({ environments: { staging: { baseUrl: 42 } } })
  assert.equal(err.path, 'environments.staging.baseUrl')
  assert.match(err.problem, /^expected a URL like https:\/\/staging\.example\.com.*, got 42$/)
  assert.doesNotMatch(err.message, /anyOf/)
})

test("baseUrl: 'demo' is accepted, other non-URLs and non-http schemes are not", () => {
  assert.doesNotThrow(() => validateConfig({ environments: { d: { baseUrl: 'demo' } } }, opts))
  assert.match(problemOf({ environments: { d: { baseUrl: 'Demo' } } }).problem, /got 'Demo'$/)
  assert.match(problemOf({ environments: { d: { baseUrl: 'ftp://files.example.com' } } }).problem, /got 'ftp:\/\/files\.example\.com'$/)
  assert.match(problemOf({ environments: { d: { baseUrl: 'https://' } } }).problem, /expected a URL/)
})

test('a gate object with a bad op reports the op, not the short-form branch', () => {
  const err = problemOf({ ...env({}), gates: { rules: [{ figure: 'tls.grade', op: '=>', target: 'A' }] } })
  assert.equal(err.path, 'gates.rules[0].op')
  assert.ok(err.problem.includes("got '=>'"), err.problem)
  assert.doesNotMatch(err.problem, /short-form|must be string/)
})

test('a gate string that does not parse reports the short-form expectation, not the object branch', () => {
  const err = problemOf({ ...env({}), gates: { rules: ['tls.grade >= A+ fatal'] } })
  assert.equal(err.path, 'gates.rules[0]')
  assert.ok(err.problem.startsWith('expected a short-form gate'), err.problem)
  assert.ok(err.problem.endsWith("got 'tls.grade >= A+ fatal'"), err.problem)
})

test('a gate that is neither object nor string uses the union description', () => {
  const err = problemOf({ ...env({}), gates: { rules: [500] } })
  assert.equal(err.path, 'gates.rules[0]')
  assert.ok(err.problem.startsWith('expected a gate: an object {figure, op, target} or a string'), err.problem)
  assert.ok(err.problem.endsWith('got 500'), err.problem)
})

test('a gate target of the wrong type', () => {
  const err = problemOf({ ...env({}), gates: { rules: [{ figure: 'x', op: '<', target: true }] } })
  assert.equal(err.path, 'gates.rules[0].target')
  assert.ok(err.problem.includes('got true'), err.problem)
})

test('unknown property: suggests a close known one, or lists the known ones', () => {
  const near = problemOf(env({ baseURL: 'x' }))
  assert.equal(near.path, 'environments.staging.baseURL')
  assert.ok(near.problem.includes('did you mean baseUrl?'), near.problem)

  const far = problemOf(env({ timeoutSeconds: 5 }))
  assert.equal(far.path, 'environments.staging.timeoutSeconds')
  assert.doesNotMatch(far.problem, /did you mean/)
  assert.ok(far.fix.includes('known properties here: baseUrl, ca, headers'), far.fix)
})

test('a typo that also makes a required property missing reports the typo', () => {
  const err = problemOf({ environments: { staging: { baseUrll: 'https://staging.example.com' } } })
  assert.equal(err.path, 'environments.staging.baseUrll')
  assert.ok(err.problem.includes('did you mean baseUrl?'), err.problem)
})

test('top-level typo is caught too', () => {
  const err = problemOf({ ...env({}), defaultenv: 'staging' })
  assert.equal(err.path, 'defaultenv')
  assert.ok(err.problem.includes('did you mean defaultEnv?'), err.problem)
})

test('the deepest error wins over a shallower one', () => {
  const err = problemOf({ defaultEnv: 7, ...env({ auth: { type: 'bearer', token: 5 } }) })
  assert.equal(err.path, 'environments.staging.auth.token')
})

test('header values must be strings; odd keys are shown in brackets', () => {
  const err = problemOf(env({ headers: { 'X-Api-Key': 123 } }))
  assert.equal(err.path, 'environments.staging.headers["X-Api-Key"]')
  assert.ok(err.problem.endsWith('got 123'), err.problem)
})

test('auth type header needs header and value', () => {
  const err = problemOf(env({ auth: { type: 'header', header: 'X-Api-Key' } }))
  assert.equal(err.path, 'environments.staging.auth.value')
  assert.ok(err.fix.includes('header auth needs header and value'), err.fix)
})

test('x-fix gives the fix; allowDrills as a string', () => {
  const err = problemOf(env({ allowDrills: 'yes' }))
  assert.equal(err.path, 'environments.staging.allowDrills')
  assert.equal(err.problem, "expected true or false, got 'yes'")
  assert.equal(err.fix, 'set allowDrills to true or false (without quotes)')
})

test('semantic: defaultEnv must name an environment', () => {
  const err = problemOf({ defaultEnv: 'production', ...env({}) })
  assert.equal(err.path, 'defaultEnv')
  assert.ok(err.problem.includes("'production' is not one of the environments (staging)"), err.problem)
  assert.ok(err.fix.includes('add environments.production'), err.fix)
})

test('semantic: the ca file is resolved against the config directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'golive-ca-'))
  try {
    writeFileSync(join(dir, 'ca.pem'), 'pem')
    const errors = (ca: string) => caFileErrors(validateConfig(env({ ca }), { file: 'x.yaml', dir }), { file: 'x.yaml', dir })
    assert.deepEqual(errors('ca.pem'), {})
    const e = errors('other.pem').staging
    assert.ok(e instanceof ConfigError && e.path === 'environments.staging.ca' && e.problem.includes(join(dir, 'other.pem')))
    // a directory is not a PEM file
    assert.ok(errors('.').staging instanceof ConfigError)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('secrets from ${env:...} are never shown, even when the value is the problem', () => {
  const secret = 's3cr3t-Valu3-xyz'
  const expansions = [{ path: 'environments.staging.baseUrl', vars: [{ name: 'STAGING_URL', value: secret }] }]
  const config = { environments: { staging: { baseUrl: secret } } }
  // control: without the expansion record the value would be shown, so the check below can fail
  assert.throws(
    () => validateConfig(config, opts),
    (e: unknown) => e instanceof Error && e.message.includes(secret),
  )
  assert.throws(
    () => validateConfig(config, { ...opts, expansions }),
    (e: unknown) =>
      e instanceof ConfigError &&
      !e.message.includes(secret) &&
      e.problem.endsWith('got the value of ${env:STAGING_URL} (not shown)') &&
      e.path === 'environments.staging.baseUrl',
  )
})

test('schema: every property has a title or description and an x-fix', () => {
  const missing: string[] = []
  const walk = (node: unknown, where: string): void => {
    if (!node || typeof node !== 'object') return
    const n = node as Record<string, unknown>
    if (n.properties && typeof n.properties === 'object') {
      for (const [key, prop] of Object.entries(n.properties as Record<string, unknown>)) {
        if (prop === true) continue // if/then requirement markers
        const p = prop as Record<string, unknown>
        const target = typeof p.$ref === 'string' ? resolveRef(p.$ref) : p
        if (typeof target.description !== 'string') missing.push(`${where}.${key}: description`)
        if (typeof target['x-fix'] !== 'string') missing.push(`${where}.${key}: x-fix`)
      }
    }
    // `if` holds conditions (auth type checks), not properties a person writes
    for (const [key, child] of Object.entries(n)) if (key !== 'if') walk(child, `${where}/${key}`)
  }
  const resolveRef = (ref: string): Record<string, unknown> =>
    ref
      .slice(2)
      .split('/')
      .reduce<Record<string, unknown>>((n, k) => n[k] as Record<string, unknown>, configSchema as Record<string, unknown>)
  walk(configSchema, '#')
  assert.deepEqual(missing, [])
  assert.equal(typeof (configSchema as { $id?: unknown }).$id, 'string')
})

test('schema: strict ajv refuses x-fix unless registered (so registering it is what makes it work)', () => {
  assert.throws(() => new Ajv({ strict: true }).compile(configSchema), /unknown keyword: "x-/)
})

test('paths: formatting, pointers, suggestions', () => {
  assert.equal(formatPath(['environments', 'staging', 'baseUrl']), 'environments.staging.baseUrl')
  assert.equal(formatPath(['gates', 'rules', 2]), 'gates.rules[2]')
  assert.equal(formatPath(['environments', 'my env']), 'environments["my env"]')
  assert.deepEqual(pointerToSegments('/gates/rules/2', { gates: { rules: [0, 1, 2] } }), ['gates', 'rules', 2])
  assert.deepEqual(pointerToSegments('/environments/2', { environments: { 2: {} } }), ['environments', '2'])
  assert.deepEqual(pointerToSegments('/a~1b/c~0d', {}), ['a/b', 'c~d'])
  assert.equal(closest('alowDrills', ['baseUrl', 'allowDrills']), 'allowDrills')
  assert.equal(closest('drills', ['baseUrl', 'allowDrills']), undefined)
})
