// The load scenarios: latency percentiles over time with active users and error markers,
// throughput over time, the latency histogram, the per-step table and the top errors.
// A chart appears only when the scenario has the data for it.

import type { ScenarioResult, TimelinePoint } from '../../core/results.js'
import { decodeHistogram } from '../../core/histogram.js'
import { count, duration, errorRate, latency, rps } from '../format.js'
import { bodyBytes, protocolText } from '../step-columns.js'
import { COLORS, type ChartSpec } from './chart-spec.js'
import { clip, esc, table } from './text.js'

export function scenarioSection(s: ScenarioResult, index: number, charts: ChartSpec[]): string {
  const id = `s${index}`
  const parts: string[] = []
  const statusCls = s.status === 'measured' ? 'ok' : 'bad'
  parts.push(
    `<section class="scenario" id="scenario-${esc(s.name)}"><h3>Scenario <span class="name">${esc(s.name)}</span> <span class="tag ${statusCls}">${esc(s.status)}</span></h3>`,
  )
  if (s.reason) parts.push(`<p class="note">${clip(s.reason)}</p>`)
  const l = s.latency
  parts.push(
    `<p class="facts">${esc(s.engine)} · ${esc(duration(s.durationMs))} · requests ${esc(count(s.requests))} · ${esc(rps(s.requests, s.durationMs))} ` +
      `· errors ${esc(errorRate(s.errors, s.requests))} (${esc(count(s.errors))}) · iterations ${esc(count(s.iterations))} · VUs max ${esc(count(s.vusMax))}` +
      ` · latency p50 ${esc(latency(l?.p50))}, p95 ${esc(latency(l?.p95))}, p99 ${esc(latency(l?.p99))}, max ${esc(latency(l?.max))}</p>`,
  )

  const tl = s.timeline ?? []
  if (tl.length > 0) {
    const hasLatency = tl.some((p) => p.p95 !== null)
    for (const spec of timelineCharts(id, tl)) {
      if (spec.id.endsWith('-latency') && !hasLatency) continue
      charts.push(spec)
      parts.push(chartBox(spec.id, TIMELINE_TITLES[spec.id.slice(id.length + 1)]!))
    }
  }

  const hist = histogramBuckets(s.histogram)
  if (hist) {
    charts.push({
      id: `${id}-histogram`,
      x: hist.counts.map((_, i) => i),
      xNames: hist.names,
      xLabel: 'latency (ms, bucket from)',
      yLabel: 'requests',
      series: [{ label: 'requests', values: hist.counts, color: COLORS.bars, style: 'bars' }],
    })
    parts.push(chartBox(`${id}-histogram`, 'Latency histogram (every request, log-spaced buckets)'))
  }

  if (s.steps.length > 0) {
    parts.push(
      '<h4>Steps</h4>',
      table(
        ['step', 'method', 'requests', 'errors', 'error rate', 'p50', 'p95', 'p99', 'max', 'body', 'http', 'statuses'],
        s.steps.map((st) => [
          `<span class="name">${esc(st.name)}</span>`,
          esc(st.method),
          esc(count(st.requests)),
          st.errors > 0 ? `<span class="bad">${esc(count(st.errors))}</span>` : esc(count(st.errors)),
          esc(errorRate(st.errors, st.requests)),
          esc(latency(st.latency?.p50)),
          esc(latency(st.latency?.p95)),
          esc(latency(st.latency?.p99)),
          esc(latency(st.latency?.max)),
          esc(bodyBytes(st)),
          esc(protocolText(st)),
          esc(
            Object.entries(st.statuses)
              .map(([k, v]) => `${k}×${v}`)
              .join(' '),
          ),
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
  parts.push('</section>')
  return parts.join('\n')
}

export const TIMELINE_TITLES: Record<string, string> = {
  latency: 'Latency percentiles per second, with active users and errors',
  throughput: 'Throughput per second',
}

/** A scenario's per-second charts: report.html draws them from results.json's timeline, the
 *  live dashboard (reports/live.ts) from the seconds it is sent, by each series' key. */
export function timelineCharts(id: string, tl: TimelinePoint[]): ChartSpec[] {
  const x = tl.map((p) => p.t)
  const of = (key: keyof TimelinePoint, gapZero = false) => ({
    key,
    ...(gapZero ? { gapZero } : {}),
    values: tl.map((p) => (gapZero && !p[key] ? null : p[key])),
  })
  return [
    {
      id: `${id}-latency`,
      x,
      xLabel: 'seconds',
      yLabel: 'latency (ms)',
      y2Label: 'users · errors/s',
      series: [
        { label: 'p50 ms', ...of('p50'), color: COLORS.p50 },
        { label: 'p95 ms', ...of('p95'), color: COLORS.p95 },
        { label: 'max ms', ...of('max'), color: COLORS.max },
        { label: 'active users', ...of('active'), color: COLORS.users, style: 'step', right: true },
        { label: 'errors/s', ...of('errors', true), color: COLORS.errors, style: 'points', right: true },
      ],
    },
    {
      id: `${id}-throughput`,
      x,
      xLabel: 'seconds',
      yLabel: 'requests/s',
      series: [
        { label: 'requests/s', ...of('requests'), color: COLORS.requests },
        { label: 'errors/s', ...of('errors'), color: COLORS.errors },
      ],
    },
  ]
}

export function chartBox(id: string, title: string): string {
  return `<figure class="chart"><figcaption>${esc(title)}</figcaption><div class="plot" id="chart-${esc(id)}"></div></figure>`
}

/** Requests per log-spaced latency bucket, from the scenario's HDR histogram (exact counts). */
export function histogramBuckets(encoded: string | null, buckets = 30): { names: string[]; counts: number[] } | null {
  if (!encoded) return null
  let values: { us: number; count: number }[]
  try {
    values = recorded(encoded)
  } catch {
    return null
  }
  if (values.length === 0) return null
  const min = Math.max(1, values[0]!.us)
  const max = Math.max(min + 1, values.at(-1)!.us)
  const n = Math.max(1, Math.min(buckets, values.length))
  const ratio = (max / min) ** (1 / n)
  const edges = Array.from({ length: n }, (_, i) => min * ratio ** i)
  const counts = new Array<number>(n).fill(0)
  for (const v of values) {
    let i = Math.floor(Math.log(v.us / min) / Math.log(ratio))
    if (!Number.isFinite(i) || i < 0) i = 0
    if (i >= n) i = n - 1
    counts[i]! += v.count
  }
  const names = edges.map((us) => msLabel(us / 1000))
  return { names, counts }
}

function msLabel(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)}s`
  if (ms >= 10) return String(Math.round(ms))
  return ms.toFixed(ms >= 1 ? 1 : 2)
}

interface Iter {
  reset(): void
  hasNext(): boolean
  next(): { valueIteratedTo: number; countAtValueIteratedTo: number }
}

function recorded(encoded: string): { us: number; count: number }[] {
  const h = decodeHistogram(encoded) as unknown as { recordedValuesIterator?: Iter; totalCount: number; getValueAtPercentile(p: number): number }
  const out: { us: number; count: number }[] = []
  const it = h.recordedValuesIterator
  if (it && typeof it.hasNext === 'function') {
    it.reset()
    // bounded: an HDR histogram has at most a few thousand distinct buckets
    for (let i = 0; i < 100_000 && it.hasNext(); i++) {
      const v = it.next()
      if (v.countAtValueIteratedTo > 0) out.push({ us: v.valueIteratedTo, count: v.countAtValueIteratedTo })
    }
    return out
  }
  // no iterator (another build of the library): read the distribution from 1000 percentiles
  let prev = 0
  for (let p = 0.1; p <= 100; p += 0.1) {
    const us = h.getValueAtPercentile(p)
    const c = Math.round(h.totalCount * (p / 100)) - prev
    if (c > 0) {
      out.push({ us, count: c })
      prev += c
    }
  }
  return out
}
