// Browser scenarios at the command line: bad input says the file and the fix (exit 2) before
// anything starts; Ctrl-C closes every Chromium golive started and writes partial results; a
// browser scenario signs in through the demo app's form beside HTTP users, in one scorecard.

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs'
import { get } from 'node:http'
import type { ChildProcess } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Results } from '../../core/results.js'
import { descendants } from '../../scenarios/engines/browser/memory.js'
import { startDemoTarget, type DemoTarget } from '../../staging/app/demo-target.js'
import { golive } from '../support/cli.js'

const CHROMIUM = process.env.GOLIVE_CHROMIUM ?? '/usr/bin/chromium'
const FIXTURES = fileURLToPath(new URL('../fixtures/browser/', import.meta.url))
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`

let demo: DemoTarget
before(async () => {
  demo = await startDemoTarget()
})
after(async () => {
  await demo.stop()
})

/** Calls `then` once the run's live stream (--dashboard) shows a finished iteration: the moment
 *  is the run's own, not a guess at how long Chromium takes to start on a loaded machine. */
function onFirstIteration(p: ChildProcess, then: () => void): void {
  let err = '',
    asked = false,
    done = false
  p.stderr!.on('data', (d) => {
    err += d
    const m = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(err)
    if (!m || asked) return
    asked = true
    get(`${m[1]}events`, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c) => {
        text += c
        // the second's own count (iterations), not a step's (its steps come after, in a list)
        if (!done && /^event: second\ndata: \{[^[]*"at":\d+,"requests":[1-9]/m.test(text)) {
          done = true
          then()
        }
      })
    }).on('error', () => {})
  })
}

const loadtest = (args: string[], env: Record<string, string> = {}) =>
  golive(['loadtest', '--target', demo.url, '--out', mkdtempSync(join(tmpdir(), 'golive-bcli-')), ...args], { cwd: FIXTURES, env, timeoutMs: 120_000 })

test('bad input: a syntax error, a spec with no tests, no Chromium, too many users → exit 2 with the fix', async () => {
  const syntax = await loadtest(['--scenario', './syntax-error.spec.ts', '--vus', '1', '--duration', '5s'])
  assert.equal(syntax.code, 2, syntax.stderr)
  assert.match(syntax.stderr, /syntax-error\.spec\.ts:5:\d+: Expected/)
  assert.match(syntax.stderr, /fix the code at/)
  assert.doesNotMatch(syntax.stderr, /\n\s+at /, 'no stack trace')

  const none = await loadtest(['--scenario', './no-tests.spec.ts', '--vus', '1', '--duration', '5s'])
  assert.equal(none.code, 2, none.stderr)
  assert.match(none.stderr, /no-tests\.spec\.ts: the spec has no tests/)
  assert.match(none.stderr, /add one: test\(/)

  const chromium = await loadtest(['--scenario', './truth.spec.ts', '--vus', '1', '--duration', '5s'], { GOLIVE_CHROMIUM: '/nonexistent/chromium' })
  assert.equal(chromium.code, 2, chromium.stderr)
  assert.match(chromium.stderr, /no Chromium at \/nonexistent\/chromium \(GOLIVE_CHROMIUM\)/)
  assert.match(chromium.stderr, /apt-get install chromium/)

  // the memory a million browser users would need is said, with the count that fits
  const many = await loadtest(['--scenario', './truth.spec.ts', '--vus', '1000000', '--duration', '5s'])
  assert.equal(many.code, 2, many.stderr)
  assert.match(many.stderr, /1000000 browser users need about \d+ MiB .* and this machine has \d+ MiB available/)
  assert.match(many.stderr, /use at most \d+ browser users here \(--vus \d+\)/)
})

test('Ctrl-C: every Chromium closes, partial results are written', { skip }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'golive-bcli-int-'))
  const seen = new Set<number>()
  const r = await golive(['loadtest', '--target', demo.url, '--scenario', './login.spec.ts', '--vus', '2', '--duration', '2m', '--dashboard', '--out', out], {
    cwd: FIXTURES,
    timeoutMs: 120_000,
    onStart: (p) => {
      const poll = setInterval(() => {
        for (const pid of descendants(p.pid!)) seen.add(pid)
      }, 250)
      // interrupt once an iteration has finished: the partial results then have something to keep
      onFirstIteration(p, () => {
        for (const pid of descendants(p.pid!)) seen.add(pid)
        p.kill('SIGINT')
      })
      p.on('close', () => {
        clearInterval(poll)
      })
    },
  })
  assert.equal(r.code, 1, r.stderr)
  assert.match(r.stderr, /stopping on SIGINT/)
  assert.ok(existsSync(join(out, 'results.json')), r.stderr)
  const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results
  assert.equal(res.run.partial, true)
  const s = res.scenarios[0]!
  assert.equal(s.status, 'partial')
  assert.ok(s.iterations >= 1, `iterations ${s.iterations}`)
  assert.equal(s.errors, 0, 'the iterations Ctrl-C cut are not errors')
  assert.ok(seen.size >= 2, `Chromium processes seen: ${seen.size}`)
  const alive = [...seen].filter((pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '))
  assert.deepEqual(alive, [], 'every browser process is gone')
})

test('golive run: a browser scenario signing in through the form beside HTTP users, one scorecard', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'golive-bcli-mixed-'))
  copyFileSync(join(FIXTURES, 'login.spec.ts'), join(dir, 'login.spec.ts'))
  writeFileSync(
    join(dir, 'golive.config.json'),
    JSON.stringify({
      defaultEnv: 'staging',
      environments: { staging: { baseUrl: demo.url, scenarios: ['form-login', './login.spec.ts'], browser: { vus: 2, duration: '8s' } } },
    }),
  )
  const out = join(dir, 'run')
  const r = await golive(['run', '--duration', '8s', '--out', out], { cwd: dir, timeoutMs: 150_000 })
  assert.ok(r.code === 0 || r.code === 1, r.stderr)
  const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results
  assert.deepEqual(
    res.scenarios.map((s) => [s.name, s.kind ?? 'http']),
    [
      ['form-login', 'http'],
      ['login', 'browser'],
    ],
  )
  const [http, browser] = res.scenarios
  assert.equal(http!.errors, 0, JSON.stringify(http!.topErrors))
  assert.ok(browser!.iterations >= 2, `browser iterations ${browser!.iterations}`)
  assert.equal(res.figures['load.login.error_rate']?.value, 0, JSON.stringify(browser!.topErrors))
  // beside, not after: the two scenarios' times overlap
  const span = (s: Results['scenarios'][number]) => [Date.parse(s.startedAt), Date.parse(s.startedAt) + s.durationMs]
  const [h0, h1] = span(http!),
    [b0, b1] = span(browser!)
  assert.ok(b0! < h1! && h0! < b1!, 'the browser users ran while the HTTP users did')
  assert.ok(res.figures['load.login.step.submit.duration_p95'], 'the sign-in step timed')
  const sc = JSON.parse(readFileSync(join(out, 'scorecard.json'), 'utf8')) as { rows: { figure: string; outcome: string }[] }
  const figures = sc.rows.map((x) => x.figure)
  for (const f of [
    'load.form-login.latency_p95',
    'load.form-login.error_rate',
    'load.login.error_rate',
    'load.login.web_vitals.lcp_p75',
    'load.login.web_vitals.cls_p75',
  ])
    assert.ok(figures.includes(f), f)
  // the 100-user gate is on the HTTP scenario, not the two browser users
  assert.ok(figures.includes('load.form-login.vus_max'))
  assert.ok(!figures.includes('load.login.vus_max'))
})

test('a Chromium that dies mid-run: its users stop, the scenario is partial with the reason (exit 1)', { skip }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'golive-bcli-crash-'))
  const started = Date.now()
  const r = await golive(['loadtest', '--target', demo.url, '--scenario', './login.spec.ts', '--vus', '1', '--duration', '90s', '--dashboard', '--out', out], {
    cwd: FIXTURES,
    timeoutMs: 120_000,
    onStart: (p) => {
      // mid-run: once an iteration has finished, kill the browser process itself (the CLI's child running Chromium)
      onFirstIteration(p, () => {
        for (const pid of descendants(p.pid!)) {
          try {
            const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
            const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1])
            if (ppid === p.pid && /chrom/i.test(cmd)) process.kill(pid, 'SIGKILL')
          } catch {
            /* gone */
          }
        }
      })
    },
  })
  assert.equal(r.code, 1, r.stderr)
  assert.ok(existsSync(join(out, 'results.json')), `results.json written:\n${r.stderr}`)
  assert.ok(Date.now() - started < 80_000, 'the run stopped well before its 90 s')
  const s = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results).scenarios[0]!
  assert.equal(s.status, 'partial')
  assert.match(s.reason ?? '', /a Chromium process exited during the run/)
})
