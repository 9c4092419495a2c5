// The asset audit against Debian's nginx serving the same files twice: once well (TLS + HTTP/2,
// gzip, a year and immutable on hashed names, no-store HTML) and once with nginx's defaults over
// plain HTTP/1.1. Real Chromium loads both; every audit figure flips with the configuration, and
// the go-live preset warns on the bad one only. About 15 s.

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { pageLoad } from '../../checks/page-load.js'
import type { CheckContext } from '../../core/check.js'
import type { CheckResult, Results } from '../../core/results.js'
import { evaluate } from '../../gates/index.js'
import { resolveGates } from '../../gates/presets.js'
import { chromiumPath, SKIP_NO_CHROMIUM } from '../support/chromium.js'
import { startAssetsNginx, type AssetsNginx } from '../support/assets-nginx.js'
import { hasNginx } from '../support/tls-lab.js'
import { checksSection } from '../../reports/html/checks.js'
import { esc } from '../../reports/html/text.js'

const exe = chromiumPath()
const nginx = hasNginx()
let site: AssetsNginx | undefined

before(async () => {
  if (exe && nginx) site = await startAssetsNginx(nginx)
})
after(async () => {
  await site?.stop()
})

// HTTP/2 in Chromium needs TLS: the good site's certificate is the environment's CA (Chromium
// cannot take a CA file, so the check ignores certificate errors for it, as for any private CA)
const run = (baseUrl: string, tls: boolean): Promise<CheckResult> =>
  pageLoad.run({
    env: { baseUrl, ...(tls ? { ca: site!.caFile } : {}) },
    envName: 'test',
    settings: { executablePath: exe, runs: 1 },
    signal: new AbortController().signal,
    runDir: '/tmp',
    configDir: process.cwd(),
    log: () => {},
  } satisfies CheckContext)
const fig = (r: CheckResult, k: string) => r.figures[`page.home.assets.${k}`]?.value as number
interface Ev {
  pages: { assets: { findings: { url: string; kind: string; fix: string }[]; resources: { url: string; protocol: string; encoding: string | null }[] } }[]
}
const findings = (r: CheckResult) => (r.evidence as Ev).pages[0]!.assets.findings.map((f) => `${f.kind} ${new URL(f.url).pathname}`).sort()

test('the same files, well and badly served: uncached, uncompressed, http1_requests and cdn flip; bytes and render-blocking are the truth', async (t) => {
  if (!exe) return t.skip(SKIP_NO_CHROMIUM)
  if (!nginx) return t.skip('nginx is not installed (apt-get install nginx)')
  const good = await run(site!.good, true)
  const bad = await run(site!.bad, false)
  assert.equal(good.status, 'measured', good.reason ?? '')
  assert.equal(bad.status, 'measured', bad.reason ?? '')
  t.diagnostic(
    `good: ${JSON.stringify(
      Object.fromEntries(
        Object.entries(good.figures)
          .filter(([k]) => k.includes('assets'))
          .map(([k, v]) => [k.split('.').pop(), v.value]),
      ),
    )}`,
  )
  t.diagnostic(
    `bad: ${JSON.stringify(
      Object.fromEntries(
        Object.entries(bad.figures)
          .filter(([k]) => k.includes('assets'))
          .map(([k, v]) => [k.split('.').pop(), v.value]),
      ),
    )}`,
  )

  // the page, its stylesheet, two scripts and the image: five requests on both
  assert.equal(fig(good, 'requests'), 5)
  assert.equal(fig(bad, 'requests'), 5)
  assert.equal(fig(good, 'static'), 4)
  // well served: nothing to fix but the synchronous script in <head>
  assert.equal(fig(good, 'uncached'), 0)
  assert.equal(fig(good, 'uncompressed'), 0)
  assert.equal(fig(good, 'http1_requests'), 0)
  assert.equal(fig(good, 'cdn'), 4)
  assert.deepEqual(findings(good), ['render-blocking /assets/legacy.js'])
  const goodEv = (good.evidence as Ev).pages[0]!.assets.resources
  assert.ok(
    goodEv.every((r) => r.protocol === 'h2'),
    `protocols ${goodEv.map((r) => r.protocol).join(', ')}`,
  )
  assert.deepEqual(goodEv.filter((r) => r.encoding === 'gzip').length, 4)

  // badly served: no lifetime on any of the four static files, four text files above 1400 B
  // sent as they are, every request over HTTP/1.1, no CDN signal
  assert.equal(fig(bad, 'uncached'), 4)
  assert.equal(fig(bad, 'uncompressed'), 4)
  assert.equal(fig(bad, 'http1_requests'), 5)
  assert.equal(fig(bad, 'cdn'), 0)
  assert.deepEqual(findings(bad), [
    'cache /assets/app.3f9a1c2b7d.css',
    'cache /assets/app.5e8d2a91c4.js',
    'cache /assets/hero.8c1e5f2a9b.png',
    'cache /assets/legacy.js',
    'compression /',
    'compression /assets/app.3f9a1c2b7d.css',
    'compression /assets/app.5e8d2a91c4.js',
    'compression /assets/legacy.js',
    'http1 /',
    'http1 /assets/app.3f9a1c2b7d.css',
    'http1 /assets/app.5e8d2a91c4.js',
    'http1 /assets/hero.8c1e5f2a9b.png',
    'http1 /assets/legacy.js',
    'render-blocking /assets/legacy.js',
  ])

  // the same page either way: the stylesheet and the synchronous script block rendering
  assert.equal(fig(good, 'render_blocking'), 2)
  assert.equal(fig(bad, 'render_blocking'), 2)
  // the image is not compressed by either: its bytes on the wire are the file plus headers
  const pngBytes = site!.files['assets/hero.8c1e5f2a9b.png']!
  for (const r of [good, bad])
    assert.ok(fig(r, 'image_bytes') >= pngBytes && fig(r, 'image_bytes') < pngBytes + 1000, `image_bytes ${fig(r, 'image_bytes')}, file ${pngBytes} B`)
  // uncompressed, the bad site sends at least every file whole; gzip sends the text in less
  const total = Object.values(site!.files).reduce((a, b) => a + b, 0)
  assert.ok(fig(bad, 'bytes_total') >= total, `bad bytes_total ${fig(bad, 'bytes_total')} < files ${total}`)
  assert.ok(fig(good, 'bytes_total') < fig(bad, 'bytes_total') - 4000, `good ${fig(good, 'bytes_total')} vs bad ${fig(bad, 'bytes_total')}`)

  // the go-live preset warns on the bad site's figures and passes the good one's
  const rowsOf = (r: CheckResult) => {
    const results = {
      figures: Object.fromEntries(Object.entries(r.figures).map(([k, v]) => [`page-load.${k}`, v])),
      scenarios: [],
      checks: [r],
      gates: resolveGates(['go-live'], []),
      run: { partial: false },
    } as unknown as Results
    return evaluate(results, results.gates).rows
  }
  const judge = (r: CheckResult) =>
    rowsOf(r)
      .filter((row) => row.figure.includes('.assets.'))
      .map((row) => `${row.figure.replace('page-load.page.home.assets.', '')} ${row.level} ${row.outcome}`)
      .sort()
  assert.deepEqual(judge(good), ['http1_requests warn pass', 'uncached warn pass', 'uncompressed warn pass'])
  assert.deepEqual(judge(bad), ['http1_requests warn fail', 'uncached warn fail', 'uncompressed warn fail'])

  // report.html's table: one row per finding of the bad site, each with its fix
  const html = checksSection([bad], rowsOf(bad), [])
  const table = /<table class="assets">[\s\S]*?<\/table>/.exec(html)![0]
  const rows = table.match(/<tr>[\s\S]*?<\/tr>/g)!.slice(1)
  assert.equal(rows.length, findings(bad).length)
  for (const f of (bad.evidence as Ev).pages[0]!.assets.findings)
    assert.ok(
      rows.some((row) => row.includes(f.url) && row.includes(esc(f.fix))),
      `a row for ${f.kind} ${f.url}`,
    )
})
