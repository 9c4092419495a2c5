// The headers check against nginx serving a corpus of header sets, through the real CLI:
// `golive check headers --target https://127.0.0.1:PORT --ca CA --http-port PORT --format json`.
// Expected scores are worked out by hand from the Observatory's score table
// (test/support/headers-corpus.ts says how for each case).

import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { golive } from '../support/cli.js'
import { CORPUS } from '../support/headers-corpus.js'
import { NGINX, type CorpusServer, freePort, startCorpus } from '../support/headers-nginx.js'

const missing = NGINX ? undefined : 'nginx is not installed (apt-get install nginx)'
if (missing && process.env.CI === 'true') throw new Error(`${missing}: the headers corpus must run under CI`)

interface Result {
  id: string
  status: string
  reason?: string
  figures: Record<string, { value: number | string; unit?: string }>
  evidence: { tests: { test: string; result: string; modifier: number }[]; checklist: { header: string; status: string }[]; redirects: { http: unknown } }
}

describe('headers check against nginx', { skip: missing }, () => {
  let corpus: CorpusServer
  before(async () => {
    corpus = await startCorpus(CORPUS)
  })
  after(async () => {
    await corpus?.stop()
  })

  async function check(args: string[]) {
    return golive(['check', 'headers', ...args, '--format', 'json'], { timeoutMs: 60_000 })
  }

  for (const c of CORPUS) {
    it(`${c.name}: ${c.grade} (${c.score}) — ${c.why}`, async () => {
      const ports = corpus.cases.get(c.name)!
      const run = await check(['--target', `https://127.0.0.1:${ports.httpsPort}`, '--ca', corpus.ca, '--http-port', String(ports.httpPort)])
      // the go-live preset's headers.grade >= A judges the figure: exit 1 below A, as golive run would say
      assert.equal(run.code, ['A+', 'A'].includes(c.grade) ? 0 : 1, run.stderr)
      const result = JSON.parse(run.stdout) as Result
      assert.equal(result.status, 'measured', result.reason ?? '')
      const results = Object.fromEntries(result.evidence.tests.map((t) => [t.test, t.result]))
      for (const [test, expected] of Object.entries(c.results)) assert.equal(results[test], expected, `${test}`)
      assert.equal(result.figures.score?.value, c.score, JSON.stringify(result.evidence.tests))
      assert.equal(result.figures.grade?.value, c.grade)
      assert.equal(result.figures.grade?.unit, 'grade')
      // every test's modifier is a figure, and they add up to the score (bonuses counted or not)
      const mods = result.evidence.tests.map((t) => t.modifier)
      for (const t of result.evidence.tests) assert.equal(result.figures[`test.${t.test}`]?.value, t.modifier)
      const penalties = 100 + mods.filter((m) => m < 0).reduce((a, b) => a + b, 0)
      assert.equal(c.score, penalties >= 90 ? 100 + mods.reduce((a, b) => a + b, 0) : penalties)
      assert.equal(result.figures.cors_origin_reflected_with_credentials?.value, c.name === 'cors-reflects-origin-with-credentials' ? 1 : 0)
    })
  }

  it('the checklist names the six headers and what is missing', async () => {
    const ports = corpus.cases.get('no-headers')!
    const run = await check(['--target', `https://127.0.0.1:${ports.httpsPort}`, '--ca', corpus.ca, '--http-port', String(ports.httpPort)])
    const result = JSON.parse(run.stdout) as Result
    assert.deepEqual(
      result.evidence.checklist.map((r) => [r.header, r.status]),
      [
        ['Strict-Transport-Security', 'missing'],
        ['Content-Security-Policy', 'missing'],
        ['X-Frame-Options', 'missing'],
        ['X-Content-Type-Options', 'missing'],
        ['Referrer-Policy', 'missing'],
        ['Permissions-Policy', 'missing'],
      ],
    )
    assert.equal(result.figures.missing_headers?.value, 6)
    const strong = corpus.cases.get('strong')!
    const run2 = await check(['--target', `https://127.0.0.1:${strong.httpsPort}`, '--ca', corpus.ca, '--http-port', String(strong.httpPort)])
    const r2 = JSON.parse(run2.stdout) as Result
    assert.equal(r2.figures.missing_headers?.value, 0)
    assert.ok(
      r2.evidence.checklist.every((r) => r.status === 'present'),
      JSON.stringify(r2.evidence.checklist),
    )
  })

  it('without --ca the chain does not verify: HSTS and redirection score as an invalid certificate', async () => {
    const ports = corpus.cases.get('strong')!
    const run = await check(['--target', `https://127.0.0.1:${ports.httpsPort}`, '--http-port', String(ports.httpPort)])
    const result = JSON.parse(run.stdout) as Result
    const results = Object.fromEntries(result.evidence.tests.map((t) => [t.test, t.result]))
    assert.equal(results['strict-transport-security'], 'hsts-invalid-cert')
    assert.equal(results.redirection, 'redirection-invalid-cert')
    // -20 -20 → 60, and the cookies lose HSTS protection but are Secure anyway
    assert.equal(result.figures.score?.value, 60)
    assert.equal(result.figures.grade?.value, 'C+')
  })

  it('no plain-http listener: redirection is not needed (0)', async () => {
    const ports = corpus.cases.get('strong')!
    const closed = await freePort()
    const run = await check(['--target', `https://127.0.0.1:${ports.httpsPort}`, '--ca', corpus.ca, '--http-port', String(closed)])
    const result = JSON.parse(run.stdout) as Result
    const results = Object.fromEntries(result.evidence.tests.map((t) => [t.test, t.result]))
    assert.equal(results.redirection, 'redirection-not-needed-no-http')
    assert.equal(result.figures.score?.value, 140)
  })

  it('golive run: the grade reaches results.json and the go-live gate headers.grade >= A judges it', async () => {
    for (const [name, exit, outcome] of [
      ['typical-unsafe-inline', 1, 'fail'],
      ['strong', 0, 'pass'],
    ] as const) {
      const ports = corpus.cases.get(name)!
      const dir = mkdtempSync(join(tmpdir(), 'golive-headers-run-'))
      try {
        writeFileSync(
          join(dir, 'golive.config.json'),
          JSON.stringify({
            environments: {
              staging: { baseUrl: `https://127.0.0.1:${ports.httpsPort}`, ca: corpus.ca, scenarios: [], checks: { headers: { httpPort: ports.httpPort } } },
            },
          }),
        )
        const run = await golive(['run', '--out', join(dir, 'run')], { cwd: dir, timeoutMs: 60_000 })
        assert.equal(run.code, exit, run.stderr)
        const results = JSON.parse(readFileSync(join(dir, 'run', 'results.json'), 'utf8')) as { figures: Record<string, { value: unknown }> }
        assert.equal(results.figures['headers.grade']?.value, name === 'strong' ? 'A+' : 'B+')
        assert.equal(results.figures['headers.test.content-security-policy']?.value, name === 'strong' ? 10 : -20)
        const card = JSON.parse(readFileSync(join(dir, 'run', 'scorecard.json'), 'utf8')) as { rows: { figure: string; op: string; outcome: string }[] }
        assert.deepEqual(
          card.rows.filter((r) => r.figure === 'headers.grade' && r.op === '>=').map((r) => r.outcome),
          [outcome],
        )
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  })

  it('an unreachable target is an error naming the fix (exit 2)', async () => {
    const closed = await freePort()
    const run = await check(['--target', `https://127.0.0.1:${closed}`, '--ca', corpus.ca, '--http-port', String(closed)])
    assert.equal(run.code, 2)
    const result = JSON.parse(run.stdout) as Result
    assert.equal(result.status, 'error')
    assert.match(result.reason ?? '', /could not fetch https:\/\/127\.0\.0\.1:\d+\/: .*ECONNREFUSED.*--target/)
  })

  it('a plain-http target is an error naming the fix (exit 2)', async () => {
    const ports = corpus.cases.get('strong')!
    const run = await check(['--target', `http://127.0.0.1:${ports.httpPort}`, '--http-port', String(ports.httpPort)])
    assert.equal(run.code, 2)
    const result = JSON.parse(run.stdout) as Result
    assert.equal(result.status, 'error')
    assert.match(result.reason ?? '', /not https.*--target https:\/\/127\.0\.0\.1:/)
  })
})
