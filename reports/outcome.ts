// One reading of a scorecard row for every reporter, so terminal, Markdown and JUnit agree on
// what a row means. A missing figure, a skipped check and an error must never read as a plain
// fail, and a warn-level failure must never read as blocking.

import type { ScorecardRow } from '../core/results.js'

export type RowState = 'pass' | 'fail' | 'warn' | 'missing' | 'skipped' | 'error' | 'not-run' | 'off'
export type Tone = 'good' | 'bad' | 'warn' | 'muted'
/** what a CI consumer should see: JUnit has no 'warning', so a warning passes with a note */
export type RowKind = 'pass' | 'failure' | 'warning' | 'skipped'

export interface RowReading {
  state: RowState
  /** upper case where it needs attention, lower case where it does not count */
  label: string
  tone: Tone
  kind: RowKind
  /** the target lies inside the figure's interval (docs/gates.md): the label says so */
  marginal: boolean
}

const LABELS: Record<RowState, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  missing: 'MISSING',
  skipped: 'SKIPPED',
  error: 'ERROR',
  'not-run': 'not run',
  off: 'off',
}

export function readRow(row: Pick<ScorecardRow, 'outcome' | 'level'> & Pick<Partial<ScorecardRow>, 'marginal'>): RowReading {
  const r = readOutcome(row)
  return row.marginal ? { ...r, label: `${r.label} (marginal)`, marginal: true } : r
}

function readOutcome(row: Pick<ScorecardRow, 'outcome' | 'level'>): RowReading {
  const blocker = row.level === 'blocker'
  // an 'off' gate never counts, whatever its figure did
  if (row.level === 'off') return reading('off', 'muted', 'skipped')
  switch (row.outcome) {
    case 'pass':
      return reading('pass', 'good', 'pass')
    case 'not-run':
      return reading('not-run', 'muted', 'skipped')
    // a skipped check under a blocker makes the run no-go (gates/), so CI must see a failure
    case 'skipped':
      return reading('skipped', blocker ? 'bad' : 'warn', blocker ? 'failure' : 'warning')
    case 'fail':
      return blocker ? reading('fail', 'bad', 'failure') : reading('warn', 'warn', 'warning')
    case 'missing':
    case 'error':
      return reading(row.outcome, blocker ? 'bad' : 'warn', blocker ? 'failure' : 'warning')
    default:
      // an outcome this code does not know yet: show it, and treat it as blocking to be safe
      return { state: 'error', label: String(row.outcome).toUpperCase(), tone: 'bad', kind: 'failure', marginal: false }
  }
}

function reading(state: RowState, tone: Tone, kind: RowKind): RowReading {
  return { state, label: LABELS[state], tone, kind, marginal: false }
}
