// A browser scenario with the features every scenario has: the live stream (--dashboard) carries
// its seconds (iterations as requests, failed iterations as errors) and ends with the counts
// results.json has; a gate's abort: { after } on its error rate stops it early, the results
// marked aborted; golive capacity refuses a Playwright spec with the fix.

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { get } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Results } from '../../core/results.js'
import { startDemoTarget, type DemoTarget } from '../../staging/app/demo-target.js'
import { golive } from '../support/cli.js'

const CHROMIUM = process.env.GOLIVE_CHROMIUM ?? '/usr/bin/chromium'
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`
const DURATION_S = 90
const AFTER_S = 2

let demo: DemoTarget
let dir: string
before(async () => {
  demo = await startDemoTarget()
  dir = mkdtempSync(join(tmpdir(), 'golive-bmain-'))
  // every iteration fails in its second step, quickly (the expect gives up after 200 ms)
  writeFileSync(
    join(dir, 'always_fails.spec.ts'),
    `import { test, expect } from '@playwright/test'
test('fails', async ({ page }) => {
  await test.step('open', async () => { await page.goto('/login') })
  await test.step('check', async () => { await expect(page.locator('h1')).toHaveText('Not this page', { timeout: 200 }) })
})
`,
  )
  writeFileSync(
    join(dir, 'golive.config.yaml'),
    `environments:
  local:
    baseUrl: ${demo.url}
    scenarios: [./always_fails.spec.ts]
    browser: { vus: 1, duration: ${DURATION_S}s, trace: 'off' }
    gates:
      - { figure: load.always_fails.error_rate, op: '<', target: 1%, abort: { after: ${AFTER_S}s } }
`,
  )
})
after(async () => {
  await demo.stop()
})

interface Frame {
  event: string
  data: Record<string, unknown>
}

/** Every Server-Sent Event of the dashboard until it closes at the end of the run. */
function readEvents(url: string): Promise<Frame[]> {
  return new Promise((resolve, reject) => {
    get(`${url}events`, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => {
        text += d
      })
      res.on('close', () =>
        resolve(
          text
            .split('\n\n')
            .filter((f) => f.trim())
            .map((f) => {
              const event = /^event: (.*)$/m.exec(f)?.[1] ?? ''
              return { event, data: JSON.parse(/^data: (.*)$/m.exec(f)?.[1] ?? '{}') as Record<string, unknown> }
            }),
        ),
      )
    }).on('error', reject)
  })
}

test('a browser scenario on the live stream, stopped early by an abort gate on its error rate', { skip, timeout: 120_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'golive-bmain-out-'))
  let events = null as Promise<Frame[]> | null
  const r = await golive(['loadtest', '--dashboard', '--out', out], {
    cwd: dir,
    timeoutMs: 110_000,
    onStart: (p) => {
      let err = ''
      p.stderr!.on('data', (d) => {
        err += d
        const m = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(err)
        if (m && !events) events = readEvents(m[1]!)
      })
    },
  })
  assert.equal(r.code, 1, r.stderr)
  assert.match(r.stderr, /stopping always_fails at \d+ s: load\.always_fails\.error_rate < 1%/)
  const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results
  const s = res.scenarios[0]!
  assert.equal(s.kind, 'browser')
  assert.ok(s.aborted, `marked aborted: ${JSON.stringify(s)}`)
  assert.equal(s.aborted.by, 'timeline')
  assert.equal(s.aborted.figure, 'load.always_fails.error_rate')
  assert.ok(s.aborted.atS - s.aborted.breachedFromS! >= AFTER_S, JSON.stringify(s.aborted))
  assert.match(s.reason ?? '', /^ABORTED at \d+ s/)
  assert.ok(s.durationMs < (DURATION_S / 2) * 1000, `stopped long before its ${DURATION_S} s: ran ${s.durationMs} ms`)
  assert.ok(s.iterations >= 1 && s.errors === s.iterations, `every iteration failed: ${s.errors}/${s.iterations}`)

  assert.ok(events, `the dashboard was announced:\n${r.stderr}`)
  const frames = await events!
  const start = frames.find((f) => f.event === 'scenario-start')
  assert.equal(start?.data.scenario, 'always_fails')
  assert.equal(start?.data.engine, 'browser')
  const seconds = frames
    .filter((f) => f.event === 'second' && f.data.scenario === 'always_fails')
    .map((f) => f.data as { requests: number; errors: number; latency: { max: number } | null; steps: { name: string; requests: number; errors: number }[] })
  const sum = (k: 'requests' | 'errors') => seconds.reduce((a, x) => a + x[k], 0)
  // the stream's counts are results.json's: every completed iteration, each failed
  assert.equal(sum('requests'), s.iterations)
  assert.equal(sum('errors'), s.errors)
  const busy = seconds.filter((x) => x.requests > 0)
  assert.ok(busy.length >= 1 && busy.every((x) => x.latency !== null && x.latency.max > 0), 'seconds with iterations carry their durations')
  const check = seconds.flatMap((x) => x.steps).filter((st) => st.name === 'check')
  assert.equal(
    check.reduce((a, st) => a + st.errors, 0),
    s.errors,
    'the failing step is named in the stream',
  )
  const end = frames.find((f) => f.event === 'scenario-end')
  assert.deepEqual([end?.data.requests, end?.data.errors], [s.iterations, s.errors])
  assert.equal(frames.at(-1)?.event, 'run-end')
})

test('golive capacity refuses a browser scenario with the fix (exit 2)', async () => {
  const named = await golive(['capacity', '--scenario', './always_fails.spec.ts'], { cwd: dir, timeoutMs: 60_000 })
  assert.equal(named.code, 2, named.stderr)
  assert.match(named.stderr, /always_fails\.spec\.ts is a browser scenario \(a Playwright spec\)/)
  assert.match(named.stderr, /pass an HTTP scenario with --scenario/)
  assert.doesNotMatch(named.stderr, /\n\s+at /, 'no stack trace')
  // the environment's main scenario for capacity is its first HTTP one: here there is none
  const listed = await golive(['capacity'], { cwd: dir, timeoutMs: 60_000 })
  assert.equal(listed.code, 2, listed.stderr)
  assert.match(listed.stderr, /lists only browser scenarios \(\.\/always_fails\.spec\.ts\)/)
})
