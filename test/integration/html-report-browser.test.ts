// report.html in a real browser (Debian's Chromium via playwright-core): the report of a real
// run (load + tls + headers + page-load against a loopback https server whose headers and
// console messages are hostile) opens with no console errors, every chart canvas has drawn
// pixels, the banner says what scorecard.json says, hostile text is inert, and a screenshot is
// kept in test-artifacts/. Then a re-rendered report with check timelines (failover, alerts).

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import type { Results, Scorecard } from '../../core/results.js'
import { buckets, type ProbeSample } from '../../checks/drill/analyze.js'
import { chromiumPath, launchChromium, SKIP_NO_CHROMIUM } from '../support/chromium.js'
import { golive } from '../support/cli.js'
import { startPageServer, type PageServer } from '../support/page-server.js'
import { freePort } from '../support/tls-lab.js'

const HOSTILE_HEADER = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
const HOSTILE_CONSOLE = '</script><img src=y onerror="window.__pwned = 3"><b>bold?</b>'
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))

const exe = chromiumPath()
let dir: string
let server: PageServer
let browser: Browser | null = null

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'golive-html-'))
  // a CA and a leaf for 127.0.0.1, so the run can use the tls and headers checks too
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  ssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '30',
    '-subj',
    '/CN=golive test CA',
  )
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1')
  writeFileSync(join(dir, 'leaf.ext'), 'basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
  ssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '30', '-extfile', 'leaf.ext')
  server = await startPageServer({
    imageDelayMs: 300,
    hostileHeader: HOSTILE_HEADER,
    hostileConsole: HOSTILE_CONSOLE,
    tls: { key: readFileSync(join(dir, 'leaf.key'), 'utf8'), cert: readFileSync(join(dir, 'leaf.pem'), 'utf8') },
  })
  if (exe) browser = await launchChromium(exe)
  mkdirSync(ARTIFACTS, { recursive: true })
})

after(async () => {
  await browser?.close()
  await server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

interface Opened {
  page: Page
  problems: string[]
}

async function open(file: string): Promise<Opened> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } })
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  // anything the report tries to fetch is a failure: it must open offline
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`request: ${r.url()}`)
  })
  await page.goto(pathToFileURL(file).href)
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-charts'), undefined, { timeout: 10_000 })
  return { page, problems }
}

/** For each chart spec in the page: its id, whether it has a canvas, and how many pixels are drawn. */
async function chartPixels(page: Page): Promise<{ id: string; canvases: number; drawn: number }[]> {
  return page.evaluate(() => {
    const specs = JSON.parse(document.getElementById('golive-charts')!.textContent!) as { id: string }[]
    return specs.map((s) => {
      const canvases = [...document.querySelectorAll(`#chart-${s.id} canvas`)] as HTMLCanvasElement[]
      let drawn = 0
      for (const c of canvases) {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) drawn++
      }
      return { id: s.id, canvases: canvases.length, drawn }
    })
  })
}

test('the report of a real run: no console errors, every chart drawn, the verdict of scorecard.json, hostile text inert', async (t) => {
  if (!exe) return t.skip(SKIP_NO_CHROMIUM)
  const out = join(dir, 'run')
  const closedPort = await freePort()
  writeFileSync(
    join(dir, 'golive.config.json'),
    JSON.stringify({
      defaultEnv: 'local',
      environments: {
        local: {
          baseUrl: server.url,
          ca: 'ca.pem',
          checks: {
            tls: {},
            headers: { httpPort: closedPort },
            'page-load': {
              runs: 2,
              pages: [
                { name: 'home', path: '/' },
                { name: 'broken', path: '/broken' },
              ],
            },
          },
        },
      },
    }),
  )
  const r = await golive(['run', '--config', join(dir, 'golive.config.json'), '--target', `${server.url}/`, '--vus', '5', '--duration', '4s', '--out', out], {
    env: { GOLIVE_CHROMIUM: exe },
    timeoutMs: 80_000,
  })
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`)
  assert.match(r.stderr, new RegExp(`report: ${out}/report\\.html`))
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results
  const scorecard = JSON.parse(readFileSync(join(out, 'scorecard.json'), 'utf8')) as Scorecard
  assert.deepEqual(
    results.checks.map((c) => [c.id, c.status]),
    [
      ['tls', 'measured'],
      ['headers', 'measured'],
      ['page-load', 'measured'],
    ],
  )
  // the hostile header reached results.json as the target sent it
  assert.ok(JSON.stringify(results.checks[1]!.evidence).includes('onerror=\\"window.__pwned = 2\\"'))

  const { page, problems } = await open(join(out, 'report.html'))
  try {
    // the banner says what the scorecard says, and the exit code agrees
    const banner = await page.locator('#verdict').getAttribute('data-verdict')
    assert.equal(banner, scorecard.verdict)
    assert.equal(await page.locator('#verdict h1').textContent(), scorecard.verdict === 'go' ? 'GO' : 'NO-GO')
    assert.equal(r.code, scorecard.verdict === 'go' ? 0 : 1)
    if (scorecard.verdict === 'no-go') {
      // blockers first: the list names every failed blocker of the scorecard
      const failed = scorecard.rows.filter((row) => row.level === 'blocker' && row.outcome !== 'pass' && row.outcome !== 'not-run').map((row) => row.figure)
      const listed = await page.locator('#blockers li strong').allTextContents()
      assert.deepEqual(listed, failed)
    }

    // every chart: load latency, throughput, histogram, the page-load runs
    const charts = await chartPixels(page)
    const ids = charts.map((c) => c.id)
    for (const want of ['s0-latency', 's0-throughput', 's0-histogram']) assert.ok(ids.includes(want), `chart ${want} in ${ids.join(', ')}`)
    assert.ok(
      ids.some((id) => /-page0$/.test(id)),
      `a page-load chart in ${ids.join(', ')}`,
    )
    for (const c of charts) {
      assert.ok(c.canvases >= 1, `chart ${c.id} has a canvas`)
      assert.ok(c.drawn > 500, `chart ${c.id} drew ${c.drawn} pixels`)
    }

    // hostile text from the target: shown as text, never run, never an element
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined)
    assert.equal(await page.locator('img').count(), 0, 'no <img> in the report: every one would be injected')
    assert.equal(await page.locator('main script, main b:text("bold?")').count(), 0)
    const headerCells = await page.locator('.header-value').allTextContents()
    assert.ok(headerCells.includes(HOSTILE_HEADER), `the header value is shown as text: ${headerCells.join(' | ')}`)
    assert.ok((await page.locator('#check-page-load').textContent())!.includes(HOSTILE_CONSOLE), 'the console message is shown as text')

    assert.deepEqual(problems, [], 'the report opened with no console errors and fetched nothing')
    await page.screenshot({ path: join(ARTIFACTS, 'html-report-run.png'), fullPage: true })
  } finally {
    await page.close()
  }

  // golive report --from re-renders the same page
  const again = await golive(['report', '--from', join(out, 'results.json'), '--format', 'html'])
  assert.equal(again.code, 0, again.stderr)
  assert.match(again.stdout, /^<!doctype html>/)
  assert.match(again.stdout, new RegExp(`data-verdict="${scorecard.verdict}"`))
})

test('check timelines (a failover drill, alert drills, a labelled probe log) are drawn from the evidence', async (t) => {
  if (!exe) return t.skip(SKIP_NO_CHROMIUM)
  const t0 = Date.parse('2026-12-01T10:00:00.000Z')
  const probes = Array.from({ length: 60 }, (_, i) => ({ atMs: i * 250, outcome: i >= 16 && i < 30 ? 'error' : 'ok', latencyMs: 5 + (i % 7) }))
  const results: Results = {
    schemaVersion: 1,
    run: {
      id: 'timelines',
      startedAt: new Date(t0).toISOString(),
      finishedAt: new Date(t0 + 20_000).toISOString(),
      durationMs: 20_000,
      partial: false,
      environment: 'staging',
      target: 'https://127.0.0.1:1',
      command: 'golive run',
      golive: '0.1.0',
      node: process.version,
      host: { platform: 'linux', cpus: 2, memoryGiB: 4 },
    },
    figures: { 'failover.rto_seconds': { value: 3.5, unit: 's' }, 'alerts.notify_seconds': { value: 42, unit: 's' } },
    scenarios: [],
    checks: [
      // the failover drill's own shape (checks/drill): per-half-second probe buckets, fault marks
      {
        id: 'failover',
        status: 'measured',
        figures: { 'app-instance.rto_seconds': { value: 3.5, unit: 's' } },
        startedAt: new Date(t0).toISOString(),
        durationMs: 15_000,
        evidence: {
          target: 'https://127.0.0.1:1',
          experiments: { 'app-instance': { faultAt: 4, faultDoneAt: 4.2, endAt: 15, timeline: buckets(drillSamples()) } },
        },
      },
      // any check with a labelled timeline: probe outcomes and two marks
      {
        id: 'probe-log',
        status: 'measured',
        figures: { rto_seconds: { value: 3.5, unit: 's' } },
        startedAt: new Date(t0).toISOString(),
        durationMs: 15_000,
        evidence: { timeline: [...probes, { atMs: 3900, event: 'primary killed', mark: true }, { atMs: 7400, event: 'recovered', mark: true }] },
      },
      {
        id: 'alerts',
        status: 'measured',
        figures: { notify_seconds: { value: 42, unit: 's' } },
        startedAt: new Date(t0).toISOString(),
        durationMs: 60_000,
        evidence: {
          // the alerts check's own shape (checks/alerts): stage times of each drill
          alerts: [
            {
              alertname: 'AppInstanceDown',
              deadlineSeconds: 300,
              problems: [],
              drill: { pending: 2.1, firing: 12.3, alertmanager: 12.9, notify: 42, resolvedNotify: 9.5, errors: [] },
            },
            {
              alertname: '<img src=x onerror=alert(1)>',
              deadlineSeconds: 300,
              problems: ["fired but no notification reached golive's receiver within 120 s"],
              drill: { pending: 3, firing: 13, errors: [] },
            },
          ],
          // and a generic timeline of states
          timeline: ['triggered', 'pending', 'firing', 'notified', 'resolved'].map((state, i) => ({ at: new Date(t0 + i * 12_000).toISOString(), state })),
        },
      },
    ],
    gates: [{ figure: 'failover.rto_seconds', op: '<', target: '30s', level: 'blocker', source: 'config' }],
  }
  const file = join(dir, 'timelines.json')
  writeFileSync(file, JSON.stringify(results))
  const r = await golive(['report', '--from', file, '--format', 'html', '--out', join(dir, 'timelines')])
  assert.equal(r.code, 0, r.stderr)
  const { page, problems } = await open(join(dir, 'timelines', 'report.html'))
  try {
    assert.equal(await page.locator('#verdict').getAttribute('data-verdict'), 'go')
    const charts = await chartPixels(page)
    assert.deepEqual(
      charts.map((c) => c.id),
      ['c0-timeline-0', 'c1-timeline', 'c2-alerts', 'c2-timeline'],
    )
    for (const c of charts) assert.ok(c.drawn > 500, `chart ${c.id} drew ${c.drawn} pixels`)
    // the tables list the changes: ok → error → ok with the two marks; the five alert states in order
    const failover = await page.locator('#check-probe-log table.timeline').locator('tbody tr td:nth-child(2)').allTextContents()
    assert.deepEqual(failover, ['ok', 'primary killed', 'error', 'recovered', 'ok'])
    const alerts = await page.locator('#check-alerts table.timeline').locator('tbody tr td:nth-child(2)').allTextContents()
    assert.deepEqual(alerts, ['triggered', 'pending', 'firing', 'notified', 'resolved'])
    const drills = await page
      .locator('#check-alerts table.alerts tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 7).map((td) => td.textContent)))
    assert.deepEqual(drills, [
      ['AppInstanceDown', '2.1 s', '12.3 s', '12.9 s', '42 s', '300 s', '9.5 s'],
      ['<img src=x onerror=alert(1)>', '3 s', '13 s', '—', 'never', '300 s', '—'],
    ])
    assert.equal(await page.locator('img').count(), 0)
    // the drill's buckets: one line per probe count, p95 on the right axis, fault marks
    const spec = await page.evaluate(
      () =>
        (
          JSON.parse(document.getElementById('golive-charts')!.textContent!) as {
            id: string
            series: { label: string; right?: boolean }[]
            marks: { label: string; x: number }[]
          }[]
        )[0]!,
    )
    assert.deepEqual(
      spec.series.map((s) => [s.label, s.right ?? false]),
      [
        ['read', false],
        ['readFailed', false],
        ['write', false],
        ['writeFailed', false],
        ['p95ms', true],
      ],
    )
    assert.deepEqual(spec.marks, [
      { x: 4, label: 'fault' },
      { x: 4.2, label: 'faultDone' },
    ])
    assert.match((await page.locator('#check-failover h4').first().textContent())!, /experiments › app-instance/)
    assert.deepEqual(problems, [])
    await page.screenshot({ path: join(ARTIFACTS, 'html-report-timelines.png'), fullPage: true })
  } finally {
    await page.close()
  }
})

/** Probes every 100 ms for 15 s; from 4 s to 7.5 s (the fault) they fail. */
function drillSamples(): ProbeSample[] {
  return Array.from({ length: 150 }, (_, i) => {
    const t = i / 10
    const down = t >= 4 && t < 7.5
    return { t, probe: i % 3 === 0 ? 'write' : 'read', ok: !down, ms: down ? 1000 : 5 + (i % 4), status: down ? 'ECONNREFUSED' : 200 }
  })
}

test('the trend of the last runs (history store) is drawn: a chart per unit, grades in the table', async (t) => {
  if (!exe) return t.skip(SKIP_NO_CHROMIUM)
  const { html } = await import('../../reports/html.js')
  const { evaluate } = await import('../../gates/evaluate.js')
  const night = (i: number, p95: number, grade: string) => ({
    id: `n${i}`,
    startedAt: `2026-11-2${i}T02:17:00.000Z`,
    environment: 'staging',
    verdict: 'go' as const,
    partial: false,
    figures: {
      'load.load.latency_p95': { value: p95, unit: 'ms' as const },
      'load.load.error_rate': { value: i === 3 ? 0.5 : 0, unit: '%' as const },
      'tls.grade': { value: grade, unit: 'grade' as const },
    },
  })
  const history = [night(1, 210, 'A+'), night(2, 230, 'A+'), night(3, 480, 'A')]
  const results: Results = {
    schemaVersion: 1,
    run: {
      id: 'n3',
      startedAt: history[2]!.startedAt,
      finishedAt: history[2]!.startedAt,
      durationMs: 1000,
      partial: false,
      environment: 'staging',
      target: 'https://127.0.0.1:1',
      command: 'golive run',
      golive: '0.1.0',
      node: process.version,
      host: { platform: 'linux', cpus: 2, memoryGiB: 4 },
    },
    figures: history[2]!.figures,
    scenarios: [],
    checks: [],
    gates: [],
  }
  const file = join(dir, 'trend.html')
  writeFileSync(file, html.render({ results, scorecard: evaluate(results, []), history }))
  const { page, problems } = await open(file)
  try {
    const charts = await chartPixels(page)
    assert.deepEqual(
      charts.map((c) => c.id),
      ['trend-ms', 'trend-pct'],
    )
    for (const c of charts) assert.ok(c.drawn > 500, `chart ${c.id} drew ${c.drawn} pixels`)
    const grades = await page.locator('#trend table.trend tbody tr').filter({ hasText: 'tls.grade' }).locator('td').allTextContents()
    assert.deepEqual(grades.slice(1, 4), ['A+', 'A+', 'A'])
    assert.deepEqual(problems, [])
    await page.screenshot({ path: join(ARTIFACTS, 'html-report-trend.png'), fullPage: true })
  } finally {
    await page.close()
  }
})
