// A drill outcome as figures with units: '<prefix>rto_seconds', '<prefix>failed_requests', ...

import type { ServerWindow } from '../../core/check.js'
import type { FigureDeclaration } from '../../core/check.js'
import type { Figure } from '../../core/results.js'
import type { DrillFigures } from './analyze.js'

export function drillFigures(
  f: DrillFigures,
  prefix = '',
  which: readonly (keyof DrillFigures)[] = [
    'seconds_to_first_failure',
    'rto_seconds',
    'failed_requests',
    'requests',
    'failed_ratio',
    'error_ratio_during',
    'lost_writes',
    'rpo_seconds',
    'writes_acknowledged',
  ],
): Record<string, Figure> {
  const out: Record<string, Figure> = {}
  for (const k of which) {
    const v = f[k]
    if (typeof v !== 'number') continue
    out[prefix + k] =
      k === 'error_ratio_during' || k === 'failed_ratio'
        ? { value: Math.round(v * 100_000) / 1000, unit: '%' }
        : // one drill is one RTO: the figure says how many probe requests it rests on
          k === 'rto_seconds'
          ? { value: v, unit: 's', samples: f.requests }
          : k.endsWith('_seconds') || k === 'seconds_to_first_failure'
            ? { value: v, unit: 's' }
            : { value: v, unit: 'count' }
  }
  return out
}

/** The server queries over an experiment's fault window as '<experiment>.server.<name>' (the
 *  maximum) and '<name>_mean'; a query with no data goes to noData with why, so its gate fails
 *  as missing naming the query. */
export function serverFigures(experiment: string, w: ServerWindow | undefined, figures: Record<string, Figure>, noData: Record<string, string>): void {
  if (!w) return
  for (const [k, v] of Object.entries(w.figures)) figures[`${experiment}.server.${k}`] = v
  for (const [k, why] of Object.entries(w.noData)) noData[`${experiment}.server.${k}`] = why
}
/** What each drill figure means, for the checks' declarations ('<prefix>' + name). */
export const DRILL_FIGURES: readonly FigureDeclaration[] = [
  { name: 'seconds_to_first_failure', unit: 's', meaning: 'the fault → the first failed probe request' },
  { name: 'rto_seconds', unit: 's', meaning: 'the fault → the steady state back (recoverAfter successes in a row)' },
  { name: 'failed_requests', unit: 'count', meaning: 'probe requests that failed from the fault to the end of observation' },
  { name: 'requests', unit: 'count', meaning: 'probe requests from the fault to the end of observation' },
  { name: 'failed_ratio', unit: '%', meaning: 'failed probe requests, % of those from the fault to the end of observation' },
  { name: 'error_ratio_during', unit: '%', meaning: 'failed probe requests, % of those from the fault to recovery' },
  { name: 'lost_writes', unit: 'count', meaning: 'acknowledged writes missing afterwards' },
  { name: 'rpo_seconds', unit: 's', meaning: 'the span of acknowledged writes lost' },
  { name: 'writes_acknowledged', unit: 'count', meaning: 'writes the system acknowledged during the drill' },
]

/** The declarations with a prefix on each name ('<experiment>.', 'rollback_'). */
export const prefixed = (prefix: string, decls: readonly FigureDeclaration[] = DRILL_FIGURES): FigureDeclaration[] =>
  decls.map((d) => ({ ...d, name: prefix + d.name }))
