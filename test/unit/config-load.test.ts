import { test } from 'node:test'
import assert from 'node:assert/strict'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CONFIG_FILE_NAMES, describeConfigSource, loadConfig, resolveEnvironment } from '../../core/load-config.js'
import { ConfigError, UsageError } from '../../core/errors.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/configs/', import.meta.url))
const BROKEN = join(FIXTURES, 'broken')
const GOOD = join(FIXTURES, 'good')

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'golive-config-test-'))
}

interface BrokenCase {
  file: string
  /** ConfigError.path; undefined for errors that are plain UsageErrors */
  path?: string
  /** must all appear in the message (problem and fix) */
  includes: string[]
  kind?: typeof ConfigError | typeof UsageError
}

const BROKEN_CASES: BrokenCase[] = [
  {
    file: 'baseurl-wrong-type.yaml',
    path: 'environments.staging.baseUrl',
    includes: ['expected a URL like https://staging.example.com', 'got 42', 'fix: set baseUrl to the http(s) URL'],
  },
  {
    file: 'baseurl-not-url.json',
    path: 'environments.staging.baseUrl',
    includes: ['expected a URL like https://staging.example.com', "got 'staging.example.com'", 'fix: set baseUrl'],
  },
  {
    file: 'ts-baseurl-wrong-type.config.ts',
    path: 'environments.staging.baseUrl',
    includes: ['expected a URL like', 'got 42', 'fix: set baseUrl'],
  },
  {
    file: 'typo-alowdrills.yaml',
    path: 'environments.staging.alowDrills',
    includes: ["unknown property 'alowDrills'", 'did you mean allowDrills?', "fix: rename 'alowDrills' to 'allowDrills'"],
  },
  {
    file: 'missing-environments.yaml',
    path: 'environments',
    includes: ["missing required property 'environments'", 'fix: add an environment, e.g. environments:'],
  },
  {
    file: 'empty-environments.json',
    path: 'environments',
    includes: ['expected at least one environment, got none', 'fix: add an environment'],
  },
  {
    file: 'defaultenv-unknown.yaml',
    path: 'defaultEnv',
    includes: ["'stagign' is not one of the environments (staging, qa)", 'did you mean staging?', 'fix: set defaultEnv to staging'],
  },
  {
    file: 'gate-bad-op.yaml',
    path: 'gates.rules[1].op',
    includes: ["'<', '<=', '>', '>=', '==', '!='", "got '=~'", 'fix: set op to one of'],
  },
  {
    file: 'gate-short-malformed.json',
    path: 'gates.rules[2]',
    includes: [
      "expected a short-form gate like 'load.*.latency_p95 < 500ms'",
      "got 'load.*.error_rate about 1%'",
      "fix: write the gate as 'figure op target [level]'",
    ],
  },
  {
    file: 'gate-level-fatal.yaml',
    path: 'gates.rules[0].level',
    includes: ["'blocker', 'warn', 'off'", "got 'fatal'", 'fix: set level to blocker, warn or off'],
  },
  {
    file: 'env-gate-missing-figure.yaml',
    path: 'environments.staging.gates[0].figure',
    includes: ["missing required property 'figure'", 'fix: set figure to a figure path'],
  },
  {
    file: 'auth-bearer-no-token.yaml',
    path: 'environments.staging.auth.token',
    includes: ["missing required property 'token'", 'fix: bearer auth needs a token'],
  },
  {
    file: 'scenarios-not-list.json',
    path: 'environments.staging.scenarios',
    includes: ['expected a list of scenario names or files', "got 'load'", 'fix: list scenario names'],
  },
  {
    file: 'report-format-typo.yaml',
    path: 'reports.formats[1]',
    includes: ["got 'junnit'", 'fix: use one of: terminal, json, scorecard, junit, markdown, html'],
  },
  {
    file: 'not-an-object.yaml',
    path: '',
    includes: ['(top level)', 'expected an object with environments', 'got a list', 'fix: make the file describe one object'],
  },
  {
    file: 'yaml-syntax.yaml',
    path: 'line 4, column 1',
    includes: ['YAML syntax error', 'must start at the same column', 'fix: fix the YAML at that line'],
  },
  {
    file: 'json-syntax.json',
    path: 'line 4, column 5',
    includes: ['JSON syntax error', "Expected ','", 'fix: fix the JSON'],
  },
  {
    file: 'missing-ca.yaml',
    path: 'environments.staging.ca',
    includes: [
      'CA file not found: ./certs/missing-ca.pem',
      resolve(BROKEN, 'certs/missing-ca.pem'),
      "fix: put the PEM file of the CA that signed staging's certificate",
    ],
  },
  {
    file: 'env-missing.yaml',
    path: 'environments.staging.auth.token',
    includes: [
      'environment variable GOLIVE_TEST_MISSING_TOKEN is not set',
      '${env:GOLIVE_TEST_MISSING_TOKEN}',
      'fix: set GOLIVE_TEST_MISSING_TOKEN in the environment',
    ],
  },
  {
    file: 'ts-no-default.config.ts',
    path: '',
    includes: ['the file has no default export (it exports config)', 'fix: add `export default defineConfig('],
  },
]

for (const c of BROKEN_CASES) {
  test(`broken config ${c.file}: names the file, the path, the problem and the fix`, async () => {
    // loading and choosing the environment, as every command does (a CA file is checked then)
    const err = await loadConfig({ cwd: BROKEN, file: c.file, env: {} })
      .then(
        (loaded) => {
          resolveEnvironment(loaded)
          assert.fail(`${c.file} loaded without an error`)
        },
        (e: unknown) => e,
      )
      .catch((e: unknown) => e)
    assert.ok(err instanceof (c.kind ?? ConfigError), `wrong error class: ${String(err)}`)
    const message = (err as Error).message
    assert.ok(
      message.startsWith(`${c.file}: `) || message.startsWith(`${relative(process.cwd(), join(BROKEN, c.file))}: `),
      `message does not start with the file name:\n${message}`,
    )
    if (c.path !== undefined) {
      assert.equal((err as ConfigError).path, c.path)
      if (c.path !== '') assert.ok(message.includes(`: ${c.path}: `), `path missing from:\n${message}`)
    }
    for (const part of c.includes) assert.ok(message.includes(part), `expected ${JSON.stringify(part)} in:\n${message}`)
  })
}

test('a TS config with a syntax error is a UsageError naming the file, line and column', async () => {
  const dir = tempDir()
  try {
    copyFileSync(join(BROKEN, 'ts-syntax-error.config.ts.txt'), join(dir, 'golive.config.ts'))
    const err = await loadConfig({ cwd: dir }).then(
      () => assert.fail('loaded a file with a syntax error'),
      (e: unknown) => e,
    )
    assert.ok(err instanceof UsageError)
    assert.ok(!(err instanceof ConfigError), 'a syntax error is a UsageError from esbuild, not a schema error')
    const message = (err as Error).message
    // line 7: `staging: { ... },,` — esbuild stops at the second comma, column 57
    assert.match(message, /^golive\.config\.ts:7:57: /)
    assert.ok(message.includes('Expected identifier but found ","'), message)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('an explicit config file that does not exist is a ConfigError with the fix', async () => {
  const err = await loadConfig({ cwd: BROKEN, file: 'nope.yaml' }).then(
    () => assert.fail('loaded a missing file'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof ConfigError)
  assert.match(err.message, /^nope\.yaml: \(top level\): config file not found/)
  assert.ok(err.message.includes(resolve(BROKEN, 'nope.yaml')))
  assert.ok(err.fix.includes('--config'), err.fix)
})

test('an explicit config file of an unknown type is refused', async () => {
  const err = await loadConfig({ cwd: BROKEN, file: 'ts-syntax-error.config.ts.txt' }).then(
    () => assert.fail('loaded a .txt file'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof ConfigError)
  assert.ok(err.problem.includes("'.txt'"), err.problem)
  assert.ok(err.fix.includes('.yaml'), err.fix)
})

test('good YAML config: loads, expands ${env:...}, keeps ca relative to the file', async () => {
  const loaded = await loadConfig({ cwd: FIXTURES, file: 'good/golive.config.yaml', env: { GOLIVE_TEST_TOKEN: 'tok-123' } })
  assert.equal(loaded.file, join(GOOD, 'golive.config.yaml'))
  assert.equal(loaded.dir, GOOD)
  assert.equal(loaded.config.defaultEnv, 'staging')
  assert.deepEqual(loaded.config.environments.staging?.auth, { type: 'bearer', token: 'tok-123' })
  assert.equal(loaded.config.environments.staging?.ca, './certs/ca.pem')
  assert.equal(loaded.config.environments.demo?.baseUrl, 'demo')
  assert.equal(loaded.config.gates?.rules?.length, 2)
})

test('good JSON config loads', async () => {
  const loaded = await loadConfig({ cwd: GOOD, file: 'golive.config.json' })
  assert.equal(loaded.config.defaultEnv, 'qa')
  assert.equal(loaded.config.environments.qa?.baseUrl, 'http://localhost:8080')
  assert.deepEqual(loaded.config.gates?.rules, [{ figure: 'load.*.error_rate', op: '<', target: 0.1 }])
})

test("good TS config loads, with `import { defineConfig } from 'golive'` and a relative import", async () => {
  const loaded = await loadConfig({ cwd: GOOD, file: 'golive.config.ts' })
  assert.equal(loaded.file, join(GOOD, 'golive.config.ts'))
  assert.deepEqual(loaded.config, {
    defaultEnv: 'staging',
    environments: { staging: { baseUrl: 'https://staging.example.com', allowDrills: false } },
    gates: { rules: ['tls.grade >= A+'] },
  })
})

test('without --config: the built-in demo default when the directory has no config', async () => {
  const dir = tempDir()
  try {
    const loaded = await loadConfig({ cwd: dir })
    assert.equal(loaded.file, null)
    assert.equal(loaded.dir, dir)
    assert.deepEqual(loaded.config, { defaultEnv: 'demo', environments: { demo: { baseUrl: 'demo' } } })
    assert.match(describeConfigSource(loaded), /^config: none found, using the built-in demo target/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('without --config: finds golive.config.* in cwd, .ts before .yaml before .json', async () => {
  const dir = tempDir()
  try {
    writeFileSync(join(dir, 'golive.config.json'), JSON.stringify({ environments: { fromJson: { baseUrl: 'demo' } } }))
    let loaded = await loadConfig({ cwd: dir })
    assert.deepEqual(Object.keys(loaded.config.environments), ['fromJson'])

    writeFileSync(join(dir, 'golive.config.yml'), 'environments:\n  fromYaml:\n    baseUrl: demo\n')
    loaded = await loadConfig({ cwd: dir })
    assert.deepEqual(Object.keys(loaded.config.environments), ['fromYaml'])

    writeFileSync(join(dir, 'golive.config.ts'), "export default { environments: { fromTs: { baseUrl: 'demo' } } }\n")
    loaded = await loadConfig({ cwd: dir })
    assert.deepEqual(Object.keys(loaded.config.environments), ['fromTs'])
    assert.equal(describeConfigSource(loaded, dir), 'config: golive.config.ts')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the discovery order is the documented one', () => {
  assert.deepEqual(
    [...CONFIG_FILE_NAMES],
    ['golive.config.ts', 'golive.config.mts', 'golive.config.js', 'golive.config.mjs', 'golive.config.yaml', 'golive.config.yml', 'golive.config.json'],
  )
})

test('describeConfigSource shows a path relative to cwd', () => {
  const line = describeConfigSource({ config: { environments: {} }, file: join(GOOD, 'golive.config.yaml'), dir: GOOD }, FIXTURES)
  assert.equal(line, `config: ${join('good', 'golive.config.yaml')}`)
})

test('resolveEnvironment: explicit name, then defaultEnv, then the only environment', async () => {
  const loaded = await loadConfig({ cwd: GOOD, file: 'golive.config.json' })
  assert.equal(resolveEnvironment(loaded, 'staging').name, 'staging')
  assert.equal(resolveEnvironment(loaded, 'staging').env.baseUrl, 'https://staging.example.com')
  assert.equal(resolveEnvironment(loaded).name, 'qa')

  const single = { config: { environments: { only: { baseUrl: 'demo' } } }, file: null, dir: '/' }
  assert.deepEqual(resolveEnvironment(single), { name: 'only', env: { baseUrl: 'demo' } })
})

test('resolveEnvironment: an unknown environment is a ConfigError listing the known ones', async () => {
  const loaded = await loadConfig({ cwd: GOOD, file: 'golive.config.json' })
  assert.throws(
    () => resolveEnvironment(loaded, 'prod'),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.message.includes('golive.config.json') &&
      err.problem.includes("no environment named 'prod'") &&
      err.problem.includes('qa, staging') &&
      err.fix.includes('--env'),
  )
})

test('resolveEnvironment: several environments and no defaultEnv asks for --env', () => {
  const loaded = { config: { environments: { a: { baseUrl: 'demo' }, b: { baseUrl: 'demo' } } }, file: null, dir: '/' }
  assert.throws(
    () => resolveEnvironment(loaded),
    (err: unknown) => err instanceof ConfigError && err.path === 'defaultEnv' && err.problem.includes('a, b') && err.fix.includes('--env a'),
  )
})
