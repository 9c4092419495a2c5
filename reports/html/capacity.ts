// The capacity search (golive capacity): the steps as a table (rate offered, throughput
// achieved, p95, users, held or why not) and a chart of the offered rate against p95.

import { COLORS, type ChartSpec } from './chart-spec.js'
import { chartBox } from './scenarios.js'
import { clip, esc, isRecord, table } from './text.js'

export function capacityDetail(ev: Record<string, unknown>, charts: ChartSpec[], index: number): string {
  const steps = Array.isArray(ev.steps) ? ev.steps.filter(isRecord) : []
  if (!steps.length) return ''
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)
  const out: string[] = []
  const broke = isRecord(ev.brokeAt) ? ev.brokeAt : null
  out.push(`<p>Capacity: <strong>${esc(num(ev.maxRps) ?? '-')} journeys/s</strong> (the last step that held)${broke ? `; broke at ${esc(num(broke.rate) ?? '-')}/s` : ''}. <span class="target-text">${clip(ev.stopDetail ?? '', 600)}</span></p>`)
  const id = `capacity-${index}`
  charts.push({
    id, x: steps.map((s) => num(s.rate) ?? 0), xLabel: 'journeys started per second (offered)', yLabel: 'p95 ms', y2Label: 'req/s',
    series: [
      { label: 'p95', values: steps.map((s) => num(s.p95)), color: COLORS.p95 },
      { label: 'p50', values: steps.map((s) => num(s.p50)), color: COLORS.p50 },
      { label: 'achieved req/s', values: steps.map((s) => num(s.achievedRps)), color: COLORS.requests, style: 'points', right: true },
    ],
    ...(broke && num(broke.rate) !== null ? { marks: [{ x: num(broke.rate)!, label: 'broke' }] } : {}),
  })
  out.push(chartBox(id, 'Offered rate vs p95'))
  out.push(table(['rate /s', 'achieved req/s', 'expected req/s', 'p95 ms', 'users', 'dropped', 'holds', 'why not'], steps.map((s) => [
    esc(num(s.rate) ?? '-'), esc(num(s.achievedRps) ?? '-'), esc(num(s.expectedRps) ?? '-'), esc(num(s.p95) ?? '-'), esc(num(s.vusMax) ?? '-'), esc(num(s.dropped) ?? '-'),
    s.holds === true ? '<span class="ok">yes</span>' : '<span class="bad">no</span>',
    `<span class="target-text">${clip(Array.isArray(s.why) ? s.why.join('; ') : '', 600)}</span>`,
  ])))
  return out.join('\n')
}
