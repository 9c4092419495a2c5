// A browser scenario in report.html: its facts, a chart of each step's p50/p95/max, the Web
// Vitals table (p75 over page views, against Google's "good" and "poor" thresholds), the steps,
// the top errors, and links to the first failure's screenshot and Playwright trace.

import type { ScenarioResult } from '../../core/results.js'
import { count, duration, errorRate, latency } from '../format.js'
import { runRelativeHref } from '../links.js'
import { COLORS, type ChartSpec } from './chart-spec.js'
import { chartBox } from './scenarios.js'
import { clip, esc, table } from './text.js'

/** web.dev's thresholds: good at or below the first, poor above the second. */
const VITALS: { key: 'lcp' | 'inp' | 'cls' | 'fcp' | 'ttfb'; label: string; good: number; poor: number; unit: string }[] = [
  { key: 'lcp', label: 'LCP (largest contentful paint)', good: 2500, poor: 4000, unit: 'ms' },
  { key: 'inp', label: 'INP (interaction to next paint)', good: 200, poor: 500, unit: 'ms' },
  { key: 'cls', label: 'CLS (cumulative layout shift)', good: 0.1, poor: 0.25, unit: '' },
  { key: 'fcp', label: 'FCP (first contentful paint)', good: 1800, poor: 3000, unit: 'ms' },
  { key: 'ttfb', label: 'TTFB (time to first byte)', good: 800, poor: 1800, unit: 'ms' },
]

export function browserSection(s: ScenarioResult, index: number, charts: ChartSpec[]): string {
  const b = s.browser
  const parts: string[] = []
  const statusCls = s.status === 'measured' ? 'ok' : 'bad'
  parts.push(
    `<section class="scenario" id="scenario-${esc(s.name)}"><h3>Browser scenario <span class="name">${esc(s.name)}</span> <span class="tag ${statusCls}">${esc(s.status)}</span></h3>`,
  )
  if (s.reason) parts.push(`<p class="note">${clip(s.reason)}</p>`)
  const it = b?.iterationDuration
  parts.push(
    `<p class="facts">${esc(b ? `Chromium ${b.chromium ?? '?'}` : 'browser')} · ${esc(duration(s.durationMs))} · users ${esc(count(s.vusMax))} ` +
      `in ${esc(count(b?.browsers ?? 0))} browser${b?.browsers === 1 ? '' : 's'} · iterations ${esc(count(s.iterations))} ` +
      `· failed ${esc(errorRate(s.errors, s.iterations))} (${esc(count(s.errors))})` +
      ` · iteration p50 ${esc(latency(it?.p50))}, p95 ${esc(latency(it?.p95))} · page views ${esc(count(b?.pageViews ?? 0))}` +
      `${b?.memory.perUserMiB != null ? ` · ${esc(b.memory.perUserMiB)} MiB per user` : ''}</p>`,
  )
  if (!b) {
    parts.push('</section>')
    return parts.join('\n')
  }

  parts.push(
    '<h4>Web Vitals (p75 over page views)</h4>',
    table(
      ['metric', 'p75', 'page views', 'good', 'rating'],
      VITALS.map((v) => {
        const m = b.webVitals[v.key]
        const rating = m.p75 === null ? 'not measured' : m.p75 <= v.good ? 'good' : m.p75 <= v.poor ? 'needs improvement' : 'poor'
        const tone = rating === 'good' ? 'ok' : rating === 'poor' || rating === 'not measured' ? 'bad' : 'warn'
        const shown = m.p75 === null ? '—' : v.unit === 'ms' ? latency(m.p75) : String(m.p75)
        return [
          esc(v.label),
          esc(shown),
          esc(count(m.samples)),
          esc(`≤ ${v.unit === 'ms' ? latency(v.good) : v.good}`),
          `<span class="tag ${tone}">${esc(rating)}</span>`,
        ]
      }),
      'num',
    ),
  )

  const steps = b.steps.filter((st) => st.duration)
  if (steps.length > 0) {
    charts.push({
      id: `b${index}-steps`,
      x: steps.map((_, i) => i),
      xNames: steps.map((st) => st.title),
      xLabel: 'step',
      yLabel: 'duration (ms)',
      series: [
        { label: 'p95 ms', values: steps.map((st) => st.duration!.p95), color: COLORS.p95, style: 'bars' },
        { label: 'p50 ms', values: steps.map((st) => st.duration!.p50), color: COLORS.p50, style: 'points' },
        { label: 'max ms', values: steps.map((st) => st.duration!.max), color: COLORS.max, style: 'points' },
      ],
    })
    parts.push(chartBox(`b${index}-steps`, 'Step durations: p95 (bars), p50 and max'))
    parts.push(
      '<h4>Steps</h4>',
      table(
        ['step', 'runs', 'failed', 'p50', 'p95', 'max'],
        steps.map((st) => [
          `<span class="name">${esc(st.title)}</span>`,
          esc(count(st.count)),
          st.errors > 0 ? `<span class="bad">${esc(count(st.errors))}</span>` : esc(count(st.errors)),
          esc(latency(st.duration!.p50)),
          esc(latency(st.duration!.p95)),
          esc(latency(st.duration!.max)),
        ]),
        'num',
      ),
    )
  }
  if (s.topErrors.length > 0) {
    parts.push(
      '<h4>Top errors</h4>',
      table(
        ['step', 'kind', 'count', 'error'],
        s.topErrors.map((e) => [esc(e.step), esc(e.kind), esc(count(e.count)), `<span class="target-text">${clip(e.message)}</span>`]),
      ),
    )
  }
  const f = b.firstFailure
  if (f) {
    const link = (path: string | undefined, label: string) => {
      const href = path ? runRelativeHref(path) : null
      return href ? `<a href="${esc(href)}">${esc(label)}</a>` : `${esc(label)}: not kept`
    }
    parts.push(
      `<h4>First failure</h4><p>iteration ${esc(f.iteration)}, test <span class="target-text">${clip(f.test, 200)}</span>, ` +
        `step <span class="target-text">${clip(f.step, 200)}</span>: <span class="target-text">${clip(f.message)}</span></p>`,
      `<p>${link(f.screenshot, 'screenshot')} · ${link(f.trace, 'Playwright trace')} (open with <code>npx playwright show-trace</code>)</p>`,
    )
  }
  parts.push('</section>')
  return parts.join('\n')
}
