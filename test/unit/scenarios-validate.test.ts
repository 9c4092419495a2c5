import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { validateScenario } from '../../scenarios/validate-scenario.js'
import { compileScenario } from '../../scenarios/compile.js'
import { findScenario, SHIPPED } from '../../scenarios/registry.js'
import { UsageError } from '../../core/errors.js'

const FIX = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url))
const FILE = 'bad.ts'
type Obj = Record<string, unknown>

const scenario = (over: Obj = {}): Obj => ({ name: 's', profile: { model: 'closed', vus: 1, duration: '1s' }, steps: [{ name: 'home', path: '/' }], ...over })
const withStep = (step: Obj): Obj =>
  scenario({
    steps: [
      { name: 'a', path: '/a' },
      { name: 'b', path: '/b' },
      { name: 'c', path: '/c', ...step },
    ],
  })

function problem(s: unknown): UsageError {
  let caught: unknown
  assert.throws(
    () => validateScenario(s, FILE),
    (e: unknown) => {
      caught = e
      return true
    },
  )
  assert.ok(caught instanceof UsageError, `expected a UsageError, got ${String(caught)}`)
  return caught
}

describe('validateScenario: every bad field names the file, the path, the problem and a fix', () => {
  const cases: { name: string; s: unknown; message: string | RegExp; fix: RegExp }[] = [
    {
      name: 'a misspelled step field (chek)',
      s: withStep({ chek: { status: 201 } }),
      message: 'bad.ts: steps[2].chek: unknown field (did you mean check?)',
      fix: /rename 'chek' to 'check'/,
    },
    {
      name: 'a misspelled scenario field',
      s: scenario({ thinktime: '1s' }),
      message: 'bad.ts: thinktime: unknown field (did you mean thinkTime?)',
      fix: /rename 'thinktime' to 'thinkTime'/,
    },
    {
      name: 'a field with no near name',
      s: withStep({ retries: 3 }),
      message: 'bad.ts: steps[2].retries: unknown field',
      fix: /remove 'retries'; known fields here: name, method, path/,
    },
    {
      name: 'a misspelled check',
      s: withStep({ check: { bodycontains: 'x' } }),
      message: 'bad.ts: steps[2].check.bodycontains: unknown field (did you mean bodyContains?)',
      fix: /bodyContains/,
    },
    {
      name: 'a misspelled profile field',
      s: scenario({ profile: { model: 'closed', vus: 1, duraton: '1s' } }),
      message: 'bad.ts: profile.duraton: unknown field (did you mean duration?)',
      fix: /rename/,
    },
    {
      name: 'a field of the other model',
      s: scenario({ profile: { model: 'closed', vus: 1, duration: '1s', maxVUs: 5 } }),
      message: /^bad\.ts: profile\.maxVUs: unknown field/,
      fix: /known fields here: model, vus, duration/,
    },
    {
      name: 'a profile without model',
      s: scenario({ profile: { vus: 1, duration: '1s' } }),
      message: /^bad\.ts: profile\.model: missing required field 'model'/,
      fix: /closed: users looping/,
    },
    {
      name: 'an unknown model',
      s: scenario({ profile: { model: 'ramp', vus: 1 } }),
      message: "bad.ts: profile.model: expected the load model, 'closed' or 'open', got 'ramp'",
      fix: /closed:/,
    },
    {
      name: 'no profile',
      s: { name: 's', steps: [{ name: 'a', path: '/' }] },
      message: /^bad\.ts: profile: missing required field 'profile'/,
      fix: /model: 'closed'/,
    },
    {
      name: 'json and form on one step',
      s: withStep({ json: { a: 1 }, form: { a: '1' } }),
      message: 'bad.ts: steps[2]: both json and form are set, and json, body, form or multipart exclude each other',
      fix: /keep one of json, form/,
    },
    {
      name: 'body and multipart on one step',
      s: withStep({ body: 'x', multipart: { a: 'b' } }),
      message: /^bad\.ts: steps\[2\]: both body and multipart are set/,
      fix: /keep one/,
    },
    {
      name: 'three bodies on one step',
      s: withStep({ body: 'x', form: { a: 'b' }, json: 1 }),
      message: /^bad\.ts: steps\[2\]: json and body and form are set/,
      fix: /keep one of json, body, form/,
    },
    {
      name: 'a capture of an unknown kind',
      s: withStep({ capture: { t: { xpath: '//a' } } }),
      message: /^bad\.ts: steps\[2\]\.capture\.t\.xpath: unknown field$/,
      fix: /known fields here: json, header, regex, html, attr, cookie/,
    },
    {
      name: 'a misspelled capture kind',
      s: withStep({ capture: { t: { regx: 'a' } } }),
      message: 'bad.ts: steps[2].capture.t.regx: unknown field (did you mean regex?)',
      fix: /rename/,
    },
    {
      name: 'a capture with no kind',
      s: withStep({ capture: { t: {} } }),
      message: 'bad.ts: steps[2].capture.t: expected a capture with one of json, header, regex, html or cookie, got an object',
      fix: /html: 'input\[name=csrf\]'/,
    },
    {
      name: 'a capture with two kinds',
      s: withStep({ capture: { t: { json: '$.a', regex: 'a' } } }),
      message: /^bad\.ts: steps\[2\]\.capture\.t: both json and regex are set/,
      fix: /keep one/,
    },
    {
      name: 'attr without html',
      s: withStep({ capture: { t: { regex: 'a', attr: 'value' } } }),
      message: 'bad.ts: steps[2].capture.t.attr: attr needs html',
      fix: /add html/,
    },
    {
      name: 'an empty html selector',
      s: withStep({ capture: { t: { html: '' } } }),
      message: /^bad\.ts: steps\[2\]\.capture\.t\.html: expected a CSS selector, got an empty string/,
      fix: /input\[name=csrf\]/,
    },
    { name: 'a missing step path', s: withStep({ path: undefined }), message: /^bad\.ts: steps\[2\]\.path: missing required field 'path'/, fix: /set path/ },
    {
      name: 'an unknown method',
      s: withStep({ method: 'FETCH' }),
      message: /^bad\.ts: steps\[2\]\.method: expected an HTTP method, 'GET', 'POST'/,
      fix: /GET, POST, PUT/,
    },
    {
      name: 'cookies not a known mode',
      s: scenario({ cookies: 'kept' }),
      message: "bad.ts: cookies: expected true, false or 'keep', true, false or 'keep', got 'kept'",
      fix: /'keep' \(per user\)/,
    },
    {
      name: 'negative redirects',
      s: withStep({ redirects: -1 }),
      message: /^bad\.ts: steps\[2\]\.redirects: expected a whole number ≥ 0 of redirect hops, got -1/,
      fix: /or 0 to see the 3xx/,
    },
    { name: 'an unknown http version', s: scenario({ http: '2' }), message: /^bad\.ts: http: expected '1\.1' or 'auto'/, fix: /HTTP\/2 when offered/ },
    {
      name: 'a size that is not one',
      s: scenario({ maxBodyBytes: '4 megs' }),
      message: "bad.ts: maxBodyBytes: expected a size such as 1048576 or '4MiB', got '4 megs'",
      fix: /'4MiB'/,
    },
    { name: 'a form value that is not a string', s: withStep({ form: { n: 1 } }), message: 'bad.ts: steps[2].form.n: expected text, got 1', fix: /as strings/ },
    {
      name: 'a multipart file part without file',
      s: withStep({ multipart: { avatar: { fiel: './a.png' } } }),
      message: /^bad\.ts: steps\[2\]\.multipart\.avatar\.fiel: unknown field \(did you mean file\?\)/,
      fix: /rename 'fiel' to 'file'/,
    },
    {
      name: 'a header value that is a function',
      s: withStep({ headers: { 'x-sig': () => 'a' } }),
      message: 'bad.ts: steps[2].headers["x-sig"]: expected a string, got a function',
      fix: /as strings/,
    },
    {
      name: 'steps not a list',
      s: scenario({ steps: { name: 'a' } }),
      message: 'bad.ts: steps: expected a list of at least one step, got an object',
      fix: /add steps/,
    },
    {
      name: 'a data feeder with a bad mode',
      s: scenario({ data: { file: 'u.csv', mode: 'each' } }),
      message: /^bad\.ts: data\.mode: expected a feeder mode, 'per-vu', 'sequential' or 'random', got 'each'/,
      fix: /per-vu, sequential, random/,
    },
    { name: 'not an object at all', s: 42, message: 'bad.ts: (scenario): the file does not export a scenario (got 42)', fix: /defineScenario/ },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const e = problem(c.s)
      if (typeof c.message === 'string') assert.equal(e.message, c.message)
      else assert.match(e.message, c.message)
      assert.match(e.hint ?? '', c.fix)
    })
  }
})

describe('validateScenario: what is valid stays valid', () => {
  it('every field of the shared contracts is accepted', () => {
    validateScenario(
      {
        $schema: './scenario.schema.json',
        name: 'all',
        description: 'd',
        profile: { model: 'open', rate: 2, timeUnit: '1s', duration: '5s', maxVUs: 3, gracefulStop: '1s', iterations: 4 },
        thinkTime: { min: '1s', max: '2s' },
        pacing: 100,
        data: { file: 'u.csv', mode: 'random', as: 'user' },
        vars: { a: 'b' },
        headers: { accept: 'text/html' },
        cookies: 'keep',
        redirects: 3,
        http: '1.1',
        maxBodyBytes: '4MiB',
        steps: [
          {
            name: 'page',
            method: 'get',
            path: '/login',
            headers: { a: 'b' },
            redirects: 0,
            maxBodyBytes: 2048,
            timeout: '2s',
            thinkTime: '1s',
            capture: {
              csrf: { html: 'input[name=csrf]', attr: 'value' },
              title: { html: 'h1' },
              sid: { cookie: 'sid' },
              loc: { header: 'location' },
              r: { regex: 'a(b)' },
              j: { json: '$.a' },
            },
            check: { status: [200, 302], bodyContains: 'x', json: { '$.a': { exists: true } } },
          },
          { name: 'login', method: 'POST', path: '/login', form: { csrf: '{{csrf}}' } },
          { name: 'upload', method: 'PUT', path: '/u', multipart: { title: 't', avatar: { file: './a.png', contentType: 'image/png', filename: 'me.png' } } },
          { name: 'api', path: '/api', json: { at: () => 1 } },
        ],
      },
      FILE,
    )
  })

  it('a body field set to undefined is absent (no false "both json and body")', () => {
    validateScenario(withStep({ json: { a: 1 }, body: undefined }), FILE)
  })

  it('the shipped scenarios validate', () => {
    for (const s of Object.values(SHIPPED)) validateScenario(s, `${s.name}.ts`)
  })
})

describe('YAML and JSON scenario files', () => {
  it('a .yaml scenario loads and compiles, data relative to it', async () => {
    const src = await findScenario(join(FIX, 'checkout.yaml'), FIX)
    const plan = compileScenario(src.scenario, { file: src.file })
    assert.equal(plan.name, 'checkout-yaml')
    assert.deepEqual(
      plan.steps.map((s) => `${s.method} ${s.name}`),
      ['GET home', 'POST login'],
    )
    assert.equal(plan.data!.rows[0]!.username, 'ann')
  })

  it('a .json scenario loads and compiles', async () => {
    const src = await findScenario('./checkout.json', FIX)
    assert.equal(compileScenario(src.scenario, { file: src.file }).profile.model, 'open')
  })

  it('a misspelled field in a YAML file is caught with the file and step', async () => {
    const src = await findScenario('./misspelled.yaml', FIX)
    assert.throws(
      () => compileScenario(src.scenario, { file: src.file }),
      (e: UsageError) => e.message === `${join(FIX, 'misspelled.yaml')}: steps[2].chek: unknown field (did you mean check?)`,
    )
  })

  it('a YAML or JSON syntax error names the line', async () => {
    await assert.rejects(
      findScenario('./bad-syntax.yaml', FIX),
      (e: UsageError) => e instanceof UsageError && /bad-syntax\.yaml:4:\d+ YAML syntax error/.test(e.message),
    )
    await assert.rejects(
      findScenario('./bad-syntax.json', FIX),
      (e: UsageError) => e instanceof UsageError && /bad-syntax\.json:\d+:\d+ JSON syntax error/.test(e.message),
    )
  })
})
