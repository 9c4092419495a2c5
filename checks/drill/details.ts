// What the reports show of one drill experiment, as typed details: the probes per half second
// with the fault's marks, the actions with their times and outcomes, and the writes.

import type { Detail } from '../../core/results.js'
import { headings, kvDetail, tableDetail, timelineDetail } from '../../core/details.js'
import type { ActionRecord } from '../actions/model.js'
import type { buckets } from './analyze.js'

export interface ExperimentDetailInput {
  name: string
  timeline: ReturnType<typeof buckets>
  faultAt?: number
  faultDoneAt?: number
  recoveredAt?: number
  actions: { fault: ActionRecord[]; rollback: ActionRecord[] }
  writes: { sent: number; acknowledged: number; lost: number }
  underLoad?: { scenario: string; usersAtStart?: number; status?: string; problem?: string }
}

export function experimentDetails(x: ExperimentDetailInput): Detail[] {
  const out: Detail[] = []
  if (x.timeline.length) {
    const marks = [
      ['fault', x.faultAt],
      ['faultDone', x.faultDoneAt],
      ['recovered', x.recoveredAt],
    ] as const
    out.push(
      timelineDetail({
        title: x.name,
        timeKey: 't',
        unit: 's',
        series: headings(
          ['read', 'read', 'count'],
          ['readFailed', 'readFailed', 'count'],
          ['write', 'write', 'count'],
          ['writeFailed', 'writeFailed', 'count'],
          ['p95ms', 'p95ms', 'ms'],
        ),
        events: x.timeline,
        marks: marks.flatMap(([label, at]) => (at === undefined ? [] : [{ at, label }])),
      }),
    )
  }
  const actions = [...x.actions.fault.map((a) => ({ ...a, phase: 'fault' })), ...x.actions.rollback.map((a) => ({ ...a, phase: 'rollback' }))]
  if (actions.length) {
    out.push(
      tableDetail(
        headings(
          ['phase', 'phase'],
          ['action', 'action', 'code'],
          ['startedAt', 'at', 's'],
          ['seconds', 'took', 's'],
          ['ok', 'ok', 'bool'],
          ['error', 'error', 'text'],
        ),
        actions,
        { title: `Actions, ${x.name}` },
      ),
    )
  }
  out.push(
    kvDetail(
      [
        { label: 'writes sent', value: x.writes.sent, unit: 'count' },
        { label: 'writes acknowledged', value: x.writes.acknowledged, unit: 'count' },
        { label: 'acknowledged writes lost', value: x.writes.lost, unit: 'count' },
        ...(x.underLoad
          ? [
              { label: 'under load of', value: x.underLoad.scenario },
              ...(x.underLoad.usersAtStart !== undefined ? [{ label: 'users at the fault', value: x.underLoad.usersAtStart, unit: 'count' as const }] : []),
              ...(x.underLoad.status ? [{ label: 'load', value: x.underLoad.status }] : []),
              ...(x.underLoad.problem ? [{ label: 'load problem', value: x.underLoad.problem }] : []),
            ]
          : []),
      ],
      `Probes and writes, ${x.name}`,
    ),
  )
  return out
}
