// `golive scenario from-har` on a real recording: Debian's Chromium (playwright-core recordHar)
// signs in through the demo app's CSRF form login; the HAR becomes a scenario whose CSRF token
// is a capture inferred from the login page (not the recorded token), whose password is a
// variable the config reads from the environment, and which both engines replay with 0 errors.

import { test, before, after, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Results } from '../../core/results.js'
import { findK6 } from '../../scenarios/engines/k6/index.js'
import { findScenario } from '../../scenarios/registry.js'
import type { Step } from '../../scenarios/dsl.js'
import { startDemoTarget, type DemoTarget } from '../../staging/app/demo-target.js'
import type { Page } from 'playwright-core'
import { chromiumPath, launchChromium, SKIP_NO_CHROMIUM } from '../support/chromium.js'
import { startDjango } from '../support/real-apps/django.js'
import { realAppsPython, SKIP_NO_REAL_APPS } from '../support/real-apps/install.js'
import { golive } from '../support/cli.js'

const CHROMIUM = chromiumPath()
// the pause the "user" takes on the login page before submitting: the think time's truth
const PAUSE_MS = 1500
const PASSWORD = 'golive-demo'

let demo: DemoTarget
let dir: string
before(async () => {
  demo = await startDemoTarget()
  dir = mkdtempSync(join(tmpdir(), 'golive-har-'))
})
after(async () => {
  await demo?.stop()
})

interface Har {
  log: {
    entries: {
      request: { method: string; url: string }
      response: { status: number; headers: { name: string; value: string }[]; content: { text?: string } }
    }[]
  }
}

/** Records what `walk` does in a fresh Chromium context into a HAR file. */
async function record(file: string, walk: (page: Page) => Promise<void>): Promise<void> {
  const browser = await launchChromium(CHROMIUM!)
  try {
    const context = await browser.newContext({ recordHar: { path: file } })
    await walk(await context.newPage())
    await context.close() // writes the HAR
  } finally {
    await browser.close()
  }
}

/** Runs a converted scenario on each engine with the password from the environment (the config's
 *  vars read it through ${env:}, as the file's header says): 0 errors, the steps' counts by engine. */
async function replayOnBothEngines(t: TestContext, file: string, baseUrl: string, password: string, iterations = 4): Promise<Record<string, string>> {
  writeFileSync(
    join(dir, 'golive.config.yaml'),
    `defaultEnv: target
environments:
  target:
    baseUrl: ${baseUrl}
    vars: { password: '\${env:GOLIVE_PASSWORD}' }
    scenarios: [./${file}]
`,
  )
  let k6 = true
  try {
    findK6()
  } catch (e) {
    if (process.env.CI) throw e
    k6 = false
    t.diagnostic('k6 is not installed: the k6 half was not run')
  }
  const perStep: Record<string, string> = {}
  for (const engine of k6 ? ['embedded', 'k6'] : ['embedded']) {
    const runDir = mkdtempSync(join(tmpdir(), `golive-har-${engine}-`))
    const r = await golive(['loadtest', '--engine', engine, '--vus', '2', '--iterations', String(iterations), '--out', runDir], {
      cwd: dir,
      env: { GOLIVE_PASSWORD: password },
      timeoutMs: 180_000,
    })
    assert.ok(r.code === 0 || r.code === 1, r.stderr)
    const text = readFileSync(join(runDir, 'results.json'), 'utf8')
    const s = (JSON.parse(text) as Results).scenarios[0]!
    assert.equal(s.errors, 0, `${engine}: ${JSON.stringify(s.topErrors)}`)
    assert.equal(s.iterations, iterations)
    perStep[engine] = JSON.stringify(s.steps.map((st) => [st.name, st.requests, st.statuses]))
    assert.ok(!text.includes(password), `${engine}: the password is not in results.json`)
  }
  if (perStep.k6) assert.equal(perStep.k6, perStep.embedded, 'both engines made the same requests with the same statuses')
  return perStep
}

test('a recorded CSRF form login becomes a scenario with the token captured, and it passes on both engines', {
  skip: CHROMIUM ? false : SKIP_NO_CHROMIUM,
  timeout: 300_000,
}, async (t) => {
  const har = join(dir, 'login.har')
  await record(har, async (page) => {
    await page.goto(`${demo.url}/login`)
    await page.waitForTimeout(PAUSE_MS)
    await page.fill('input[name=username]', 'user2')
    await page.fill('input[name=password]', PASSWORD)
    await Promise.all([page.waitForURL('**/account'), page.click('button[type=submit]')])
    assert.match((await page.textContent('body')) ?? '', /Signed in as user2/)
  })
  const recorded = JSON.parse(readFileSync(har, 'utf8')) as Har
  const page = recorded.log.entries.find((e) => e.request.method === 'GET' && new URL(e.request.url).pathname === '/login')!
  const token = /name="csrf" value="([^"]+)"/.exec(page.response.content.text ?? '')?.[1]
  assert.ok(token, 'the recording holds the login page with its token')
  // biome-ignore lint/suspicious/noNonNullAssertedOptionalChain: the recording must hold the cookie; the assertion below says so if not
  const session = recorded.log.entries
    .flatMap((e) => e.response.headers)
    .find((h) => h.name.toLowerCase() === 'set-cookie' && h.value.startsWith('golive_session='))
    ?.value.split(';')[0]!
    .split('=')[1]

  const out = join(dir, 'login.ts')
  const conv = await golive(['scenario', 'from-har', har, '--out', out])
  assert.equal(conv.code, 0, conv.stderr)
  const text = readFileSync(out, 'utf8')
  // inferred, commented, and nothing of the recording's secrets copied
  assert.match(text, /csrf: \{ html: 'input\[name="csrf"\]', attr: 'value' \}/)
  assert.match(
    text,
    /\/\/ csrf: inferred: step 'post-login' sends this value back \(form field csrf\); the recording's value came from <input name="csrf"> in the page/,
  )
  assert.ok(!text.includes(token), 'the recorded CSRF token is not in the scenario')
  assert.ok(!text.includes(PASSWORD), 'the recorded password is not in the scenario')
  if (session) assert.ok(!text.includes(session), 'the session cookie is not in the scenario')
  assert.doesNotMatch(text, /cookie:/i, 'no Cookie header copied')
  assert.match(conv.stderr, /capture csrf on step 'get-login'/)
  assert.match(conv.stderr, /secret not copied: \{\{password\}\}/)

  const { scenario } = await findScenario(out, dir)
  const steps = scenario.steps as Step[]
  assert.deepEqual(
    steps.map((s) => [s.name, s.method ?? 'GET', s.path]),
    [
      ['get-login', 'GET', '/login'],
      ['post-login', 'POST', '/login'],
    ],
    'the followed 303 to /account is part of the POST step',
  )
  assert.deepEqual(steps[1]!.form, { csrf: '{{csrf}}', username: 'user2', password: '{{password}}' })
  assert.deepEqual(steps[1]!.check, { status: 200 })
  // the pause on the login page, from the timestamps: at least the pause, plus what typing took
  const think = Number(/^(\d+)ms$/.exec(String(steps[0]!.thinkTime))?.[1])
  assert.ok(think >= PAUSE_MS - 20 && think < PAUSE_MS + 3000, `thinkTime ${steps[0]!.thinkTime}`)

  const perStep = await replayOnBothEngines(t, 'login.ts', demo.url, PASSWORD)
  // the POST (303) and the followed GET /account (200) in the login step, once per journey each
  assert.equal(
    perStep.embedded,
    JSON.stringify([
      ['get-login', 4, { 200: 4 }],
      ['post-login', 8, { 200: 4, 303: 4 }],
    ]),
  )
})

test("a recording of Django admin's sign-in (software nobody here wrote) converts and replays on both engines", {
  skip: CHROMIUM ? false : SKIP_NO_CHROMIUM,
  timeout: 400_000,
}, async (t) => {
  const python = realAppsPython()
  if (!python) {
    t.skip(SKIP_NO_REAL_APPS)
    return
  }
  const app = await startDjango(python)
  try {
    const har = join(dir, 'django.har')
    await record(har, async (page) => {
      await page.goto(`${app.url}/admin/`) // 302 to the login page
      await page.fill('#id_username', app.username)
      await page.fill('#id_password', app.password)
      await Promise.all([page.waitForURL(`${app.url}/admin/`), page.click('input[type=submit]')])
      await Promise.all([page.waitForURL('**/admin/auth/user/'), page.click('a[href="/admin/auth/user/"]')])
    })
    const out = join(dir, 'django.ts')
    const conv = await golive(['scenario', 'from-har', har, '--out', out])
    assert.equal(conv.code, 0, conv.stderr)
    const text = readFileSync(out, 'utf8')
    assert.match(text, /csrfmiddlewaretoken: \{ html: 'input\[name="csrfmiddlewaretoken"\]', attr: 'value' \}/)
    assert.match(text, /\/\/ csrfmiddlewaretoken: inferred: /)
    assert.ok(!text.includes(app.password), 'the password is not in the scenario')
    const { scenario } = await findScenario(out, dir)
    const steps = scenario.steps as Step[]
    assert.deepEqual(
      steps.map((s) => [s.name, s.method ?? 'GET', s.path]),
      [
        ['get-admin', 'GET', '/admin/'],
        ['post-admin-login', 'POST', '/admin/login/?next=/admin/'],
        ['get-admin-auth-user', 'GET', '/admin/auth/user/'],
      ],
      "Django's static files left out, each followed 302 folded into its step",
    )
    assert.equal(steps[1]!.form!.csrfmiddlewaretoken, '{{csrfmiddlewaretoken}}')
    assert.equal(steps[1]!.form!.password, '{{password}}')
    const perStep = await replayOnBothEngines(t, 'django.ts', app.url, app.password)
    assert.equal(
      perStep.embedded,
      JSON.stringify([
        ['get-admin', 8, { 200: 4, 302: 4 }],
        ['post-admin-login', 8, { 200: 4, 302: 4 }],
        ['get-admin-auth-user', 4, { 200: 4 }],
      ]),
    )
  } finally {
    await app.stop()
  }
})

test('bad input through the command: exit 2 with the file, the place and the fix, nothing written', async () => {
  const cases: [string, string, RegExp][] = [
    [
      'notjson.har',
      '<html>not a recording</html>',
      /^golive: .*notjson\.har: not JSON: .*\n {2}fix: a HAR file is JSON; record the journey again and save it as HAR/,
    ],
    ['config.har', '{"defaultEnv": "staging"}', /^golive: .*config\.har: log: missing: this is JSON but not a HAR file .*\n {2}fix: record the journey again/],
    [
      'nourl.har',
      '{"log": {"entries": [{"startedDateTime": "2026-01-01T00:00:00Z", "request": {"method": "GET"}, "response": {"status": 200}}]}}',
      /nourl\.har: log\.entries\[0\]\.request\.url: expected a string\n {2}fix: /,
    ],
  ]
  for (const [name, text, message] of cases) {
    const file = join(dir, name)
    writeFileSync(file, text)
    const r = await golive(['scenario', 'from-har', file, '--out', join(dir, `${name}.ts`)])
    assert.equal(r.code, 2, `${name}: ${r.stderr}`)
    assert.match(r.stderr, message)
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
    assert.equal(r.stdout, '')
  }
  const missing = await golive(['scenario', 'from-har', join(dir, 'nope.har')])
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /nope\.har: no such file/)
  // never over an existing file, and only TypeScript (the comments are the point)
  writeFileSync(join(dir, 'mine.ts'), '// mine\n')
  const exists = await golive(['scenario', 'from-har', join(dir, 'config.har'), '--out', join(dir, 'mine.ts')])
  assert.equal(exists.code, 2)
  assert.match(exists.stderr, /mine\.ts: the file already exists, and golive never overwrites one/)
  assert.equal(readFileSync(join(dir, 'mine.ts'), 'utf8'), '// mine\n')
  const yaml = await golive(['scenario', 'from-har', join(dir, 'config.har'), '--out', join(dir, 'x.yaml')])
  assert.equal(yaml.code, 2)
  assert.match(yaml.stderr, /--out .*x\.yaml: the scenario is written as TypeScript/)
})
