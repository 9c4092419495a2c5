// The live dashboard (--dashboard) in Debian's Chromium while a real run goes against a loopback
// server: the per-second charts gain points as seconds pass (the page is still "running"), a
// page that opens late is sent the seconds it missed, nothing breaks the page's
// Content-Security-Policy, and when the run ends the verdict and the scorecard of scorecard.json
// appear and the server closes. Plus: 127.0.0.1 only, foreign Host headers refused, a port in use
// is a usage error before any load.

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ChildProcess } from 'node:child_process'
import type { Browser, Page } from 'playwright-core'
import type { Results, Scorecard } from '../../core/results.js'
import { chromiumPath, launchChromium, SKIP_NO_CHROMIUM } from '../support/chromium.js'
import { golive } from '../support/cli.js'
import { startLatencyServer, type LatencyServer } from '../support/latency-server.js'

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))
const exe = chromiumPath()
let dir: string
let server: LatencyServer
let browser: Browser | null = null

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'golive-dashboard-'))
  server = await startLatencyServer([
    { ms: 20, share: 90 },
    { ms: 120, share: 10 },
  ])
  if (exe) browser = await launchChromium(exe)
  mkdirSync(ARTIFACTS, { recursive: true })
})

after(async () => {
  await browser?.close()
  await server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Starts golive with the dashboard; resolves its URL as soon as golive prints it. */
function startRun(args: string[]): { url: Promise<string>; done: ReturnType<typeof golive>; child: () => ChildProcess | null } {
  let child: ChildProcess | null = null
  let found: (u: string) => void
  const url = new Promise<string>((r) => {
    found = r
  })
  const done = golive(args, {
    cwd: dir,
    timeoutMs: 120_000,
    onStart: (p) => {
      child = p
      let err = ''
      p.stderr!.on('data', (d) => {
        err += d
        const m = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(err)
        if (m) found(m[1]!)
      })
    },
  })
  return { url, done, child: () => child }
}

const points = (page: Page, kind: string) =>
  page.evaluate((k) => Number(document.querySelector(`.plot[data-kind="${k}"]`)?.getAttribute('data-points') ?? -1), kind)
const verdict = (page: Page) => page.evaluate(() => document.getElementById('verdict')!.getAttribute('data-verdict'))

test('the dashboard in Chromium: the charts gain points while the run goes, then the scorecard', async (t) => {
  if (!exe) return t.skip(SKIP_NO_CHROMIUM)
  const out = join(dir, 'run')
  const run = startRun(['loadtest', '--target', `${server.url}/`, '--vus', '3', '--duration', '14s', '--out', out, '--dashboard'])
  const url = await Promise.race([
    run.url,
    run.done.then((r) => {
      throw new Error(`golive ended before printing the URL: ${r.stderr}`)
    }),
  ])
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/)
  const page = await browser!.newPage({ viewport: { width: 1280, height: 1000 } })
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('request', (r) => {
    if (!r.url().startsWith(url)) problems.push(`request elsewhere: ${r.url()}`)
  })
  let late: Page | null = null
  try {
    await page.goto(url)
    // while the page still says running, the throughput chart gains points, twice
    const seen: number[] = []
    for (let i = 0; i < 3; i++) {
      const before = seen.at(-1) ?? 0
      await page.waitForFunction((b) => Number(document.querySelector('.plot[data-kind="throughput"]')?.getAttribute('data-points') ?? 0) > b, before, {
        timeout: 20_000,
      })
      const [n, v] = [await points(page, 'throughput'), await verdict(page)]
      assert.equal(v, 'running', `after ${n} points the page says ${v}`)
      seen.push(n)
    }
    assert.ok(seen[0]! < seen[1]! && seen[1]! < seen[2]!, `points over time: ${seen.join(', ')}`)
    assert.equal(await points(page, 'latency'), await points(page, 'throughput'))
    // uPlot drew into the two charts
    assert.equal((await page.locator('.plot canvas').count()) >= 2, true)
    // a page opened late is sent what it missed first
    late = await browser!.newPage()
    await late.goto(url)
    const atOpen = await points(page, 'throughput')
    await late.waitForFunction((n) => Number(document.querySelector('.plot[data-kind="throughput"]')?.getAttribute('data-points') ?? 0) >= n, atOpen, {
      timeout: 10_000,
    })

    // the end: the verdict and the scorecard appear
    await page.waitForFunction(() => document.getElementById('verdict')!.getAttribute('data-verdict') !== 'running', undefined, { timeout: 60_000 })
    const r = await run.done
    assert.ok(r.code === 0 || r.code === 1, r.stderr)
    const scorecard = JSON.parse(readFileSync(join(out, 'scorecard.json'), 'utf8')) as Scorecard
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results
    assert.equal(await verdict(page), scorecard.verdict)
    assert.equal(await page.locator('#verdict-text').textContent(), scorecard.verdict === 'go' ? 'GO' : 'NO-GO')
    const shown = await page.locator('#scorecard table tbody tr, #scorecard table tr:not(:first-child)').count()
    assert.equal(shown, scorecard.rows.filter((x) => x.outcome !== 'not-run').length)
    assert.equal(await page.locator('.scenario .tag').first().textContent(), 'done')
    // every second of results.json's timeline was drawn
    assert.equal(await points(page, 'throughput'), results.scenarios[0]!.timeline.length)
    await page.screenshot({ path: join(ARTIFACTS, 'live-dashboard.png'), fullPage: true })
    assert.deepEqual(problems, [])
    // closed with the run
    await assert.rejects(fetch(url, { signal: AbortSignal.timeout(3000) }))
  } finally {
    await late?.close()
    await page.close()
    run.child()?.kill('SIGKILL')
  }
})

function get(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
      .on('error', reject)
      .end()
  })
}

test('the dashboard listens on 127.0.0.1 only, refuses a foreign Host, and a port in use stops the run before any load', async () => {
  const run = startRun(['loadtest', '--target', `${server.url}/`, '--vus', '1', '--duration', '4s', '--out', join(dir, 'hosts'), '--dashboard', '0'])
  const url = await run.url
  const port = Number(new URL(url).port)
  try {
    assert.equal(await get(port, `127.0.0.1:${port}`), 200)
    assert.equal(await get(port, `localhost:${port}`), 200)
    // a DNS-rebinding page would send its own name
    assert.equal(await get(port, `evil.example:${port}`), 403)
    // not on another address of this machine's loopback
    await assert.rejects(new Promise((ok, no) => request({ host: '127.0.0.2', port, path: '/' }, ok).on('error', no).end()))
  } finally {
    await run.done
  }
  const busy = createServer()
  await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', () => ok()))
  const busyPort = (busy.address() as AddressInfo).port
  try {
    const served = server.served()
    const r = await golive(
      ['loadtest', '--target', `${server.url}/`, '--vus', '1', '--duration', '2s', '--out', join(dir, 'busy'), '--dashboard', String(busyPort)],
      { cwd: dir },
    )
    assert.equal(r.code, 2)
    assert.match(r.stderr, new RegExp(`golive: --dashboard ${busyPort}: port ${busyPort} on 127.0.0.1 is in use\\n  fix: `))
    assert.equal(server.served() - served, 0, 'no load reached the target')
  } finally {
    await new Promise((ok) => busy.close(ok))
  }
})

test("--dashboard-keep: the page is still served after the run, with the verdict, until Ctrl-C; then the run's exit code", async () => {
  const out = join(dir, 'keep')
  let child: ChildProcess | null = null
  let err = ''
  let opened: (u: string) => void
  const stillOpen = new Promise<string>((r) => {
    opened = r
  })
  const done = golive(['loadtest', '--target', `${server.url}/`, '--vus', '1', '--duration', '2s', '--out', out, '--dashboard', '--dashboard-keep'], {
    cwd: dir,
    timeoutMs: 90_000,
    onStart: (p) => {
      child = p
      p.stderr!.on('data', (d) => {
        err += d
        const m = /dashboard: still open at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(err)
        if (m) opened(m[1]!)
      })
    },
  })
  const url = await Promise.race([
    stillOpen,
    done.then((r) => {
      throw new Error(`golive ended: ${r.stderr}`)
    }),
  ])
  // the run is over (its files are written) and the page still answers, the verdict in its events
  const scorecard = JSON.parse(readFileSync(join(out, 'scorecard.json'), 'utf8')) as Scorecard
  assert.equal((await fetch(url)).status, 200)
  const events = await fetch(`${url}events`, { signal: AbortSignal.timeout(5000) })
  const reader = events.body!.getReader()
  let text = ''
  while (!text.includes('event: run-end')) {
    const { value, done: end } = await reader.read()
    if (end) break
    text += new TextDecoder().decode(value)
  }
  await reader.cancel()
  assert.match(text, new RegExp(`event: run-end\\ndata: \\{"type":"run-end","verdict":"${scorecard.verdict}"`))
  child!.kill('SIGINT')
  const r = await done
  assert.equal(r.code, scorecard.verdict === 'go' ? 0 : 1)
})
