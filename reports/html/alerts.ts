// The alerts check's drills as a picture: for each expected alert, when it went pending, firing,
// reached Alertmanager and was notified (seconds after the trigger), then how long it took to
// resolve after the resolve action. Read from evidence.alerts[].drill (checks/alerts); nothing
// here imports the check.

import { COLORS, type ChartSpec } from './chart-spec.js'
import { chartBox } from './scenarios.js'
import { clip, esc, isRecord, table } from './text.js'

const STAGES = [
  { key: 'pending', label: 'pending', color: COLORS.warn },
  { key: 'firing', label: 'firing', color: COLORS.bad },
  { key: 'alertmanager', label: 'in Alertmanager', color: COLORS.other },
  { key: 'notify', label: 'notified', color: COLORS.ok },
] as const

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const secs = (v: unknown): string => { const n = num(v); return n === null ? '—' : `${Math.round(n * 10) / 10} s` }

export function alertsDetail(ev: Record<string, unknown>, id: string, charts: ChartSpec[]): string {
  const alerts = (Array.isArray(ev.alerts) ? ev.alerts : []).filter(isRecord)
  if (alerts.length === 0) return ''
  const out: string[] = []
  const drilled = alerts.filter((a) => isRecord(a.drill))
  if (drilled.length > 0) {
    // one point per (alert, stage): x = seconds after the trigger, y = the alert's lane
    const points: { t: number; lane: number; stage: number }[] = []
    drilled.forEach((a, lane) => {
      const d = a.drill as Record<string, unknown>
      points.push({ t: 0, lane, stage: -1 })
      STAGES.forEach((s, stage) => { const t = num(d[s.key]); if (t !== null) points.push({ t, lane, stage }) })
    })
    points.sort((a, b) => a.t - b.t)
    const deadlines = drilled.map((a) => num(a.deadlineSeconds)).filter((n): n is number => n !== null)
    charts.push({
      id: `${id}-alerts`, x: points.map((p) => p.t), xLabel: 'seconds after the trigger', yLabel: '',
      lanes: drilled.map((a) => String(a.alertname ?? '?')), height: Math.max(150, 70 + drilled.length * 36),
      series: [
        { label: 'triggered', color: COLORS.max, style: 'points', values: points.map((p) => (p.stage === -1 ? p.lane : null)) },
        ...STAGES.map((s, i) => ({ label: s.label, color: s.color, style: 'points' as const, values: points.map((p) => (p.stage === i ? p.lane : null)) })),
      ],
      // the deadline, when it is in view of what happened
      marks: deadlines.length && Math.min(...deadlines) <= Math.max(...points.map((p) => p.t)) * 1.5 ? [{ x: Math.min(...deadlines), label: 'deadline' }] : [],
    })
    out.push(chartBox(`${id}-alerts`, 'Alert drills: triggered → pending → firing → Alertmanager → notified'))
  }
  out.push(table(['alert', 'pending', 'firing', 'Alertmanager', 'notified', 'deadline', 'resolved after the resolve action', 'problems'], alerts.map((a) => {
    const d = isRecord(a.drill) ? a.drill : {}
    const resolved = num(d.resolvedNotify) ?? num(d.cleared)
    const problems = Array.isArray(a.problems) ? a.problems.map(String) : []
    return [
      `<span class="name">${esc(a.alertname)}</span>`, esc(secs(d.pending)), esc(secs(d.firing)), esc(secs(d.alertmanager)),
      num(d.notify) === null && isRecord(a.drill) ? '<span class="bad">never</span>' : esc(secs(d.notify)),
      esc(secs(a.deadlineSeconds)), esc(secs(resolved)),
      problems.length ? `<span class="target-text">${clip(problems.join('; '), 800)}</span>` : '',
    ]
  }), 'alerts num'))
  return out.join('\n')
}
