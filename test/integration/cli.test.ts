// The command line as a user meets it: exit codes, files, messages, Ctrl-C.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { validateResults } from '../../core/read-results.js'
import type { Results, Scorecard } from '../../core/results.js'
import { startLatencyServer } from '../support/latency-server.js'
import { golive } from '../support/cli.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'golive-cli-'))
const read = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T
const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .+\(.*:\d+:\d+\)/, 'no stack trace')

test('--target with --vus and --duration writes results.json with the documented figures; go when the server is fast', async () => {
  const server = await startLatencyServer([
    { ms: 5, share: 95 },
    { ms: 50, share: 5 },
  ])
  const out = tmp()
  try {
    const r = await golive(['loadtest', '--target', `${server.url}/items?x=1`, '--vus', '10', '--duration', '3s', '--out', out])
    assert.equal(r.code, 0, r.stderr + r.stdout)
    const results = read<Results>(join(out, 'results.json'))
    assert.equal(validateResults(results), null)
    assert.equal(results.run.partial, false)
    for (const name of [
      'latency_p50',
      'latency_p95',
      'latency_p99',
      'latency_max',
      'error_rate',
      'rps',
      'vus_max',
      'requests',
      'iterations',
      'step.get.latency_p95',
    ]) {
      assert.ok(results.figures[`load.get.${name}`], `figure load.get.${name}`)
    }
    assert.equal(results.figures['load.get.vus_max']!.value, 10)
    assert.equal(results.figures['load.get.requests']!.value, server.served())
    assert.equal(results.figures['load.get.latency_p95']!.unit, 'ms')
    assert.ok(results.scenarios[0]!.timeline.length >= 3, 'a point per second')
    const card = read<Scorecard>(join(out, 'scorecard.json'))
    assert.equal(card.verdict, 'go')
    assert.ok(
      card.rows.some((row) => row.figure === 'load.load.vus_max' && row.outcome === 'not-run'),
      'the 100-user gate is for the load scenario only',
    )
    // JUnit parses back: a testcase per gate row
    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(out, 'junit.xml'), 'utf8'))
    assert.ok(xml.testsuites, 'junit.xml has <testsuites>')
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /GO/)
    assert.match(r.stdout, /PASS/)
  } finally {
    await server.close()
  }
})

test('the verdict flips to no-go (exit 1) when the server is slowed past the p95 target; gate --from re-judges it', async () => {
  const server = await startLatencyServer([
    { ms: 5, share: 80 },
    { ms: 700, share: 20 },
  ])
  const out = tmp()
  try {
    const r = await golive(['loadtest', '--target', server.url, '--vus', '10', '--duration', '3s', '--out', out])
    assert.equal(r.code, 1, r.stderr)
    const card = read<Scorecard>(join(out, 'scorecard.json'))
    assert.equal(card.verdict, 'no-go')
    const p95 = card.rows.find((row) => row.figure === 'load.get.latency_p95')!
    assert.equal(p95.outcome, 'fail')
    assert.ok((p95.actualValue as number) >= 700, `p95 ${p95.actualValue}`)
    assert.match(r.stdout, /NO-GO/)

    // same file, same gates: same verdict, without running anything
    const again = await golive(['gate', '--from', join(out, 'results.json')], { cwd: out })
    assert.equal(again.code, 1)
    // a config with a looser target re-judges the same figures as go
    writeFileSync(
      join(out, 'golive.config.json'),
      JSON.stringify({
        environments: { x: { baseUrl: server.url } },
        gates: { presets: [], rules: ['load.*.latency_p95 < 1s', 'load.*.error_rate < 1%'] },
      }),
    )
    const relaxed = await golive(['gate', '--from', join(out, 'results.json'), '--format', 'json'], { cwd: out })
    assert.equal(relaxed.code, 0, relaxed.stderr)
    assert.equal(JSON.parse(relaxed.stdout).verdict, 'go')
    const md = await golive(['report', '--from', join(out, 'results.json'), '--format', 'markdown'], { cwd: tmp() })
    assert.equal(md.code, 0)
    assert.match(md.stdout, /\| /)
  } finally {
    await server.close()
  }
})

test('Ctrl-C during a run writes partial results, marked as such, and exits non-zero', async () => {
  const server = await startLatencyServer([{ ms: 10, share: 100 }])
  const out = tmp()
  try {
    const r = await golive(['loadtest', '--target', server.url, '--vus', '5', '--duration', '60s', '--out', out], {
      onStart: (p) => {
        // interrupt once requests are flowing
        const t = setInterval(() => {
          if (server.served() > 50) {
            clearInterval(t)
            p.kill('SIGINT')
          }
        }, 100)
        // a CLI that exits before requests flow must not leave the poll running (the test would hang)
        p.once('exit', () => clearInterval(t))
      },
      timeoutMs: 60_000,
    })
    assert.equal(r.code, 1)
    const results = read<Results>(join(out, 'results.json'))
    assert.equal(results.run.partial, true)
    assert.match(results.run.partialReason!, /interrupted/)
    assert.equal(results.scenarios[0]!.status, 'partial')
    assert.ok((results.figures['load.get.requests']!.value as number) > 50, 'what was measured is kept')
    const card = read<Scorecard>(join(out, 'scorecard.json'))
    assert.equal(card.verdict, 'no-go')
    assert.ok(r.stderr.length > 0 && results.run.durationMs < 30_000)
  } finally {
    await server.close()
  }
})

test('npm run loadtest with no target runs the shipped journey against the demo target and keeps a latest run', async () => {
  const cwd = tmp()
  const r = await golive(['loadtest', '--scenario', 'smoke', '--duration', '3s'], { cwd })
  assert.ok(r.code === 0 || r.code === 1, r.stderr)
  assert.match(r.stderr, /built-in demo target at http:\/\/127\.0\.0\.1:\d+/)
  const latest = join(cwd, '.golive/runs/latest')
  assert.ok(existsSync(join(latest, 'results.json')))
  assert.ok(readlinkSync(latest).length > 0)
  const results = read<Results>(join(latest, 'results.json'))
  assert.deepEqual(
    results.scenarios[0]!.steps.map((s) => s.name),
    ['login', 'browse', 'product', 'search', 'order', 'view-order'],
  )
  assert.equal(results.scenarios[0]!.steps[0]!.phase, 'setup', 'the login runs once per user, in setup')
  assert.equal(results.figures['load.smoke.error_rate']!.value, 0, JSON.stringify(results.scenarios[0]!.topErrors))
  assert.ok((results.figures['load.smoke.iterations']!.value as number) >= 1)
})

test('bad usage and an unreachable target: one clear message, exit 2, no stack trace', async () => {
  const cases: [string[], RegExp][] = [
    [['launch'], /unknown command 'launch'/],
    [['loadtest', '--scenario', 'nope'], /unknown scenario 'nope'.*\n.*smoke, load, stress, spike, soak/],
    [['loadtest', '--vus', 'many'], /--vus many: expected a whole number/],
    [['loadtest', '--duration', '10 sec', '--scenario', 'smoke'], /is not a duration/],
    [['loadtest', '--bogus'], /Unknown option '--bogus'/],
    [['loadtest', '--target', 'http://127.0.0.1:9', '--duration', '1s'], /cannot reach the target http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/],
    [['loadtest', '--engine', 'jmeter'], /--engine jmeter/],
    [['gate'], /needs --from/],
    [['gate', '--from', '/nonexistent/results.json'], /no such file/],
    [['check', 'nope'], /unknown check 'nope'/],
  ]
  for (const [args, message] of cases) {
    const r = await golive(args, { cwd: tmp() })
    assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`)
    assert.match(r.stderr, message, args.join(' '))
    noStack(r.stderr)
  }
})

test('a file that is not a results.json is refused with the reason', async () => {
  const dir = tmp()
  writeFileSync(join(dir, 'results.json'), JSON.stringify({ schemaVersion: 1, run: {} }))
  const r = await golive(['gate', '--from', join(dir, 'results.json')], { cwd: dir })
  assert.equal(r.code, 2)
  assert.match(r.stderr, /not a golive results\.json/)
  noStack(r.stderr)
})

test('config errors name the file and path, exit 2, no stack trace', async () => {
  const dir = tmp()
  writeFileSync(join(dir, 'golive.config.yaml'), 'environments:\n  staging:\n    baseUrl: 42\n')
  const r = await golive(['loadtest'], { cwd: dir })
  assert.equal(r.code, 2)
  assert.match(r.stderr, /golive\.config\.yaml/)
  assert.match(r.stderr, /environments\.staging\.baseUrl/)
  noStack(r.stderr)
  writeFileSync(join(dir, 'golive.config.yaml'), "environments:\n  staging:\n    baseUrl: http://127.0.0.1:1\ngates:\n  rules:\n    - 'load.*.latency_p95 <'\n")
  const g = await golive(['loadtest'], { cwd: dir })
  assert.equal(g.code, 2)
  assert.match(g.stderr, /gates\.rules\[0\]/)
  noStack(g.stderr)
})

test('every broken config in test/fixtures/configs/broken: exit 2, the file named, no stack trace', async () => {
  const { readdirSync, copyFileSync } = await import('node:fs')
  const dir = new URL('../fixtures/configs/broken/', import.meta.url).pathname
  const files = readdirSync(dir).filter((f) => !f.endsWith('.txt'))
  assert.ok(files.length >= 12, `a dozen or more broken configs (${files.length})`)
  for (const f of files) {
    const cwd = tmp()
    copyFileSync(join(dir, f), join(cwd, f))
    const r = await golive(['loadtest', '--config', f, '--duration', '1s'], { cwd, env: { TOKEN_SET_BUT_UNUSED: 'x' } })
    assert.equal(r.code, 2, `${f}: exit ${r.code}\n${r.stderr}`)
    assert.match(r.stderr, new RegExp(f.replace(/\./g, '\\.')), `${f} is named:\n${r.stderr}`)
    assert.match(r.stderr, /fix: /, `${f}: says how to fix it`)
    noStack(r.stderr)
  }
})

test('the Markdown summary is appended to $GITHUB_STEP_SUMMARY when it is set', async () => {
  const server = await startLatencyServer([{ ms: 2, share: 100 }])
  const out = tmp()
  const summary = join(out, 'step-summary.md')
  writeFileSync(summary, '# earlier step\n')
  try {
    const r = await golive(['loadtest', '--target', server.url, '--vus', '2', '--duration', '1s', '--out', join(out, 'run')], {
      env: { GITHUB_STEP_SUMMARY: summary },
    })
    assert.equal(r.code, 0, r.stderr)
    const md = readFileSync(summary, 'utf8')
    assert.match(md, /^# earlier step\n/, 'appended, not overwritten')
    assert.match(md, /load\.get\.latency\\?_p95/)
  } finally {
    await server.close()
  }
})
