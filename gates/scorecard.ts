// Rows in, scorecard out: the verdict, the counts and the one-line summary. Kept apart from
// evaluate.ts so the rules for "what counts" live in one small place.

import type { ScorecardRow, Scorecard } from '../core/results.js'

/** A row that did not pass and does count: fail, missing, skipped and error alike. */
export function isFailure(row: ScorecardRow): boolean {
  return row.outcome !== 'pass' && row.outcome !== 'not-run'
}

// Failed blockers first, then warnings, then passes, then what does not count.
function group(row: ScorecardRow): number {
  if (row.outcome === 'not-run' || row.level === 'off') return 3
  if (row.outcome === 'pass') return 2
  return row.level === 'blocker' ? 0 : 1
}

const MAX_LISTED = 5

export function buildScorecard(rows: ScorecardRow[], partial: boolean): Scorecard {
  // Array.prototype.sort is stable, so config order survives within a group.
  const sorted = [...rows].sort((a, b) => group(a) - group(b))
  const counted = sorted.filter((r) => r.outcome !== 'not-run' && r.level !== 'off')
  const failed = counted.filter((r) => r.level === 'blocker' && isFailure(r))
  const warned = counted.filter((r) => r.level === 'warn' && isFailure(r))
  const counts = {
    pass: counted.filter((r) => r.outcome === 'pass').length,
    fail: failed.length,
    warn: warned.length,
    off: sorted.filter((r) => r.level === 'off').length,
  }
  const notRun = sorted.filter((r) => r.outcome === 'not-run' && r.level !== 'off').length
  const marginal = counted.filter((r) => r.marginal).length
  const verdict = failed.length > 0 ? 'no-go' : 'go'
  return { verdict, summary: summarise(verdict, counts, failed, notRun, marginal), partial, counts, rows: sorted }
}

function summarise(verdict: Scorecard['verdict'], counts: Scorecard['counts'], failed: ScorecardRow[], notRun: number, marginal = 0): string {
  const parts: string[] = []
  if (verdict === 'no-go') {
    const names = failed.slice(0, MAX_LISTED).map((r) => r.figure)
    if (failed.length > MAX_LISTED) names.push(`+${failed.length - MAX_LISTED} more`)
    parts.push(`${plural(failed.length, 'blocker')} failed (${names.join(', ')})`)
  } else {
    parts.push(counts.pass + counts.warn === 0 ? 'no gate judged anything' : `${plural(counts.pass, 'gate')} passed`)
  }
  if (counts.warn) parts.push(plural(counts.warn, 'warning'))
  if (marginal) parts.push(`${marginal} marginal (the target inside the figure's interval)`)
  if (notRun) parts.push(`${notRun} not run`)
  return `${verdict === 'go' ? 'GO' : 'NO-GO'}: ${parts.join('; ')}`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
