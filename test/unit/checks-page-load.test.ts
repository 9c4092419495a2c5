import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readSettings, THROTTLING_PRESETS } from '../../checks/page-load/settings.js'
import { cumulativeLayoutShift, median, pageFigures, type RunMetrics } from '../../checks/page-load/stats.js'

const run = (o: Partial<RunMetrics>): RunMetrics => ({
  ttfb_ms: 10,
  fcp_ms: 100,
  lcp_ms: 200,
  cls: 0,
  dcl_ms: 50,
  load_ms: 300,
  bytes: 1000,
  requests: 3,
  console_errors: 0,
  failed_requests: 0,
  ...o,
})

test('median and worst over the runs', () => {
  assert.equal(median([3, 1, 2]), 2)
  assert.equal(median([4, 1, 2, 3]), 2.5)
  assert.equal(median([]), null)
  const f = pageFigures('home', [run({ lcp_ms: 1200 }), run({ lcp_ms: 900 }), run({ lcp_ms: 3000, console_errors: 1 })])
  assert.deepEqual(f['page.home.lcp_ms'], { value: 1200, unit: 'ms', samples: 3 })
  assert.deepEqual(f['page.home.lcp_ms_worst'], { value: 3000, unit: 'ms', samples: 3 })
  assert.deepEqual(f['page.home.console_errors'], { value: 0, unit: 'count', samples: 3 })
  assert.deepEqual(f['page.home.console_errors_worst'], { value: 1, unit: 'count', samples: 3 })
  assert.deepEqual(f['page.home.cls'], { value: 0, samples: 3 })
  assert.deepEqual(f['page.home.bytes'], { value: 1000, unit: 'B', samples: 3 })
  assert.deepEqual(f['page.home.runs'], { value: 3, unit: 'count' })
})

test('a metric no run measured is absent (a gate on it fails as missing), not zero', () => {
  const f = pageFigures('home', [run({ lcp_ms: null }), run({ lcp_ms: null })])
  assert.equal(f['page.home.lcp_ms'], undefined)
  assert.equal(f['page.home.fcp_ms']?.samples, 2, 'a median says how many runs it rests on')
  assert.ok(f['page.home.fcp_ms'])
  assert.deepEqual(pageFigures('home', []), {})
})

test('CLS: the largest session window (gaps under 1 s, windows up to 5 s)', () => {
  assert.equal(cumulativeLayoutShift([]), 0)
  assert.equal(
    cumulativeLayoutShift([
      [100, 0.05],
      [500, 0.05],
    ]),
    0.1,
  )
  // a gap of a second starts a new window: the larger window counts, not the sum
  assert.equal(
    cumulativeLayoutShift([
      [100, 0.05],
      [1200, 0.02],
      [1300, 0.02],
    ]),
    0.05,
  )
  // a window is at most 5 s long
  const steady = Array.from({ length: 12 }, (_, i) => [i * 900, 0.01] as [number, number])
  assert.ok(Math.abs(cumulativeLayoutShift(steady) - 0.06) < 1e-9)
})

test('settings: defaults, pages joined to the target, presets, and errors that name the setting', () => {
  const s = readSettings({}, 'http://127.0.0.1:8080/app')
  assert.deepEqual(s.pages, [{ name: 'home', url: 'http://127.0.0.1:8080/app/' }])
  assert.equal(s.runs, 3)
  assert.equal(s.throttling, null)
  const t = readSettings({ pages: ['/cart', { name: 'other', url: 'https://example.test/x' }], throttling: 'fast-3g', cpuSlowdown: 4, runs: 5 }, 'http://h:1')
  assert.deepEqual(
    t.pages.map((p) => [p.name, p.url]),
    [
      ['cart', 'http://h:1/cart'],
      ['other', 'https://example.test/x'],
    ],
  )
  assert.deepEqual(t.throttling, { name: 'fast-3g', ...THROTTLING_PRESETS['fast-3g']!, cpuSlowdown: 4 })
  assert.equal(t.runs, 5)
  assert.equal(readSettings({ executablePath: '/opt/chromium' }, 'http://h').executablePath, '/opt/chromium')
  assert.throws(() => readSettings({ runs: 0 }, 'http://h'), /checks\.page-load\.runs: expected a number from 1 to 20, got 0/)
  assert.throws(() => readSettings({ throttling: '3g' }, 'http://h'), /checks\.page-load\.throttling: expected one of none, fast-3g/)
  assert.throws(() => readSettings({ pages: [{ name: 'a.b', path: '/' }] }, 'http://h'), /pages\[0\]\.name: expected letters, digits/)
  assert.throws(
    () =>
      readSettings(
        {
          pages: [
            { name: 'a', path: '/' },
            { name: 'a', path: '/x' },
          ],
        },
        'http://h',
      ),
    /'a' is used twice/,
  )
  assert.throws(() => readSettings({ pages: [{ name: 'a', url: 'ftp://h/x' }] }, 'http://h'), /not http\(s\)/)
  assert.throws(() => readSettings({ run: 3 }, 'http://h'), /checks\.page-load\.run: unknown setting/)
})
