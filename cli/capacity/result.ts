// The capacity search as results.json has it: a 'capacity' entry beside the checks, so its
// figures are capacity.<scenario>.max_rps, .max_vus, .headroom and the gates judge them like
// any other. The steps, the one that broke and why are the evidence.

import type { CheckResult, Figure } from '../../core/results.js'
import { headings, kvDetail, tableDetail } from '../../core/details.js'
import type { SearchOutcome } from './search.js'

export interface CapacitySettings {
  stepRate: number
  maxRate: number
  stepDurationMs: number
  timeLimitMs: number
  maxVUs: number
  launchLoad?: { rps?: number; vus?: number }
  envName: string
}

export function capacityResult(o: SearchOutcome, s: CapacitySettings, startedAt: Date): CheckResult {
  const figures: Record<string, Figure> = {}
  const unmeasured: Record<string, string> = {}
  const p = o.scenario
  // a search that judged no step measured nothing; one whose first step broke found a capacity
  // below it: 0, never "missing" (its headroom gate must fail, not read not run)
  if (o.steps.length) {
    figures[`${p}.max_rps`] = { value: o.held?.rate ?? 0, unit: 'rps' }
    figures[`${p}.max_vus`] = { value: o.held?.vusMax ?? 0, unit: 'count' }
    const l = s.launchLoad
    if (l?.rps) figures[`${p}.headroom`] = { value: round2((o.held?.rate ?? 0) / l.rps) }
    else if (l?.vus) figures[`${p}.headroom`] = { value: round2((o.held?.vusMax ?? 0) / l.vus) }
    else unmeasured[`${p}.headroom`] = `no launch load: set environments.${s.envName}.launchLoad to { rps: N } or { vus: N }`
  } else {
    for (const k of ['max_rps', 'max_vus', 'headroom']) unmeasured[`${p}.${k}`] = `no step was judged (${o.stopDetail})`
  }
  const reason =
    o.stop === 'broke'
      ? undefined
      : o.stop === 'max-rate'
        ? `every step held up to --max-rate ${s.maxRate}/s: the capacity is at least that`
        : o.stop === 'time-limit'
          ? `${o.stopDetail}: the capacity is at least the last step that held`
          : o.stopDetail
  return {
    id: 'capacity',
    title: `Capacity search (${p})`,
    status: o.steps.length ? 'measured' : 'error',
    ...(reason ? { reason } : {}),
    figures,
    ...(Object.keys(unmeasured).length ? { unmeasured } : {}),
    evidence: {
      scenario: p,
      stop: o.stop,
      stopDetail: o.stopDetail,
      maxRps: o.held?.rate ?? (o.steps.length ? 0 : null),
      brokeAt: o.broke ? { rate: o.broke.rate, why: o.broke.why } : null,
      search: {
        stepRate: s.stepRate,
        maxRate: s.maxRate,
        stepDurationS: s.stepDurationMs / 1000,
        timeLimitS: s.timeLimitMs / 1000,
        maxVUs: s.maxVUs,
        model: 'open (journeys started per second)',
      },
      ...(s.launchLoad ? { launchLoad: s.launchLoad } : {}),
      gates: o.gates,
      steps: o.steps,
    },
    details: [
      kvDetail(
        [
          { label: 'capacity (journeys/s, the last step that held)', value: o.held?.rate ?? (o.steps.length ? 0 : null), unit: 'number' },
          ...(o.broke ? [{ label: 'broke at (journeys/s)', value: o.broke.rate, unit: 'number' as const }] : []),
          { label: 'stopped', value: o.stopDetail },
        ],
        'Capacity',
      ),
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
        o.steps.map((st) => ({ ...st, why: st.why.join('; ') })),
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
            ...(o.broke ? { marks: [{ at: o.broke.rate, label: 'broke' }] } : {}),
          },
        },
      ),
    ],
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100
