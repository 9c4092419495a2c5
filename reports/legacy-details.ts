// Details for a results.json written before checks gave details (older runs, read by `golive
// report --from`): a few evidence shapes those checks recorded, turned into the details a
// current check emits, so the same renderers draw them. Matched by shape, never by check id:
//   alerts: [{ alertname, deadlineSeconds?, drill?: { pending, firing, alertmanager, notify,
//           resolvedNotify | cleared }, problems? }]  → the drills' table, drawn as lanes
//   pages: [{ name, runs: [{ ttfb_ms, fcp_ms, lcp_ms, dcl_ms, load_ms }] }]  → each page's runs,
//           drawn as points
//   steps: [{ rate, p95, achievedRps, holds }] (+ brokeAt.rate)  → the steps, rate against p95
// Anything else: no details (the evidence is still shown as JSON, its timelines drawn).

import type { Detail, DetailChart } from '../core/results.js'
import { headings, tableDetail } from '../core/details.js'

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const records = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : [])
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

export function legacyDetails(evidence: unknown): Detail[] {
  if (!isRecord(evidence)) return []
  return [...alertDrills(evidence), ...pageRuns(evidence), ...rateSteps(evidence)]
}

const STAGES = [
  ['pending', 'pending'],
  ['firing', 'firing'],
  ['alertmanager', 'Alertmanager'],
  ['notify', 'notified'],
] as const

function alertDrills(ev: Record<string, unknown>): Detail[] {
  const alerts = records(ev.alerts).filter((a) => typeof a.alertname === 'string')
  if (alerts.length === 0) return []
  const drilled = alerts.filter((a) => isRecord(a.drill))
  const seen = Math.max(0, ...drilled.flatMap((a) => STAGES.map(([k]) => num((a.drill as Record<string, unknown>)[k])).filter((n): n is number => n !== null)))
  const deadlines = drilled.map((a) => num(a.deadlineSeconds)).filter((n): n is number => n !== null)
  const chart: DetailChart = {
    kind: 'lanes',
    title: 'Alert drills: triggered → pending → firing → Alertmanager → notified',
    xLabel: 'seconds after the trigger',
    laneKey: 'alert',
    origin: 'triggered',
    series: [{ key: 'pending' }, { key: 'firing' }, { key: 'alertmanager', label: 'in Alertmanager' }, { key: 'notify', label: 'notified' }],
    marks: deadlines.length && Math.min(...deadlines) <= seen * 1.5 ? [{ at: Math.min(...deadlines), label: 'deadline' }] : [],
  }
  return [
    tableDetail(
      headings(
        ['alert', 'alert'],
        ...STAGES.map(([k, label]) => [k, label, 's'] as [string, string, 's']),
        ['deadline', 'deadline', 's'],
        ['resolved', 'resolved after the resolve action', 's'],
        ['problems', 'problems', 'text'],
      ),
      alerts.map((a) => {
        const d = isRecord(a.drill) ? a.drill : null
        return {
          alert: a.alertname,
          pending: num(d?.pending),
          firing: num(d?.firing),
          alertmanager: num(d?.alertmanager),
          notify: d ? (num(d.notify) ?? 'never') : null,
          deadline: num(a.deadlineSeconds),
          resolved: num(d?.resolvedNotify) ?? num(d?.cleared),
          problems: Array.isArray(a.problems) ? a.problems.map(String).join('; ') : '',
        }
      }),
      { title: 'Alerts', name: 'alerts', chart },
    ),
  ]
}

const TIMINGS = [
  ['ttfb_ms', 'TTFB'],
  ['fcp_ms', 'FCP'],
  ['lcp_ms', 'LCP'],
  ['dcl_ms', 'DOMContentLoaded'],
  ['load_ms', 'load'],
] as const

function pageRuns(ev: Record<string, unknown>): Detail[] {
  return records(ev.pages).flatMap((page, p) => {
    const runs = records(page.runs)
    if (runs.length === 0 || !runs.some((r) => TIMINGS.some(([k]) => num(r[k]) !== null))) return []
    const name = String(page.name ?? p)
    return [
      tableDetail(
        headings(['run', 'run', 'count'], ...TIMINGS.map(([k, label]) => [k, label, 'ms'] as [string, string, 'ms']), ['error', 'error', 'text']),
        runs.map((r, i) => ({ run: i + 1, ...Object.fromEntries(TIMINGS.map(([k]) => [k, num(r[k])])), error: typeof r.error === 'string' ? r.error : '' })),
        {
          title: `Timings of each run, ${name}`,
          name: `page${p}`,
          chart: { kind: 'points', title: `Timings of each run, ${name}`, xLabel: 'run', yLabel: 'ms', series: TIMINGS.map(([key]) => ({ key })) },
        },
      ),
    ]
  })
}

function rateSteps(ev: Record<string, unknown>): Detail[] {
  const steps = records(ev.steps).filter((s) => num(s.rate) !== null && (num(s.p95) !== null || num(s.achievedRps) !== null))
  if (steps.length === 0) return []
  const broke = isRecord(ev.brokeAt) ? num(ev.brokeAt.rate) : null
  return [
    tableDetail(
      headings(
        ['rate', 'rate /s', 'number'],
        ['achievedRps', 'achieved req/s', 'number'],
        ['expectedRps', 'expected req/s', 'number'],
        ['p95', 'p95', 'ms'],
        ['vusMax', 'users', 'count'],
        ['dropped', 'dropped', 'count'],
        ['holds', 'holds', 'bool'],
        ['why', 'why not', 'text'],
      ),
      steps.map((s) => ({ ...s, why: Array.isArray(s.why) ? s.why.map(String).join('; ') : s.why })),
      {
        title: 'Steps',
        name: 'capacity',
        chart: {
          kind: 'lines',
          title: 'Offered rate vs p95',
          xKey: 'rate',
          xLabel: 'journeys started per second (offered)',
          yLabel: 'p95 ms',
          y2Label: 'req/s',
          series: [{ key: 'p95' }, { key: 'achievedRps', right: true }],
          ...(broke !== null ? { marks: [{ at: broke, label: 'broke' }] } : {}),
        },
      },
    ),
  ]
}
