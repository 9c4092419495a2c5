// Findings as golive counts them: one severity scale for every scanner, and the pure
// functions that turn a list of findings into figures and a top list.

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const
export type Severity = (typeof SEVERITIES)[number]

export interface Finding {
  severity: Severity
  /** the CVSS-like score the severity came from (SARIF security-severity), when there was one */
  score?: number
  /** what decided the severity: 'security-severity 9.8', 'level error', 'riskcode 2' */
  basis: string
  ruleId: string
  tool: string
  /** file:line, a URL, or '(no location)' */
  location: string
  message: string
  /** the scanner report it came from */
  file: string
}

/** A scanner report that is not what it claims: names the file and what was wrong. */
export class FindingsFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`)
    this.name = 'FindingsFileError'
  }
}

/** SARIF security-severity (a CVSS score 0-10) → severity, as GitHub code scanning maps it:
 *  ≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low, 0 info. */
export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'critical'
  if (score >= 7) return 'high'
  if (score >= 4) return 'medium'
  if (score > 0) return 'low'
  return 'info'
}

/** SARIF level → severity when no security-severity is given. */
export const LEVEL_SEVERITY: Readonly<Record<string, Severity>> = Object.freeze({
  error: 'high',
  warning: 'medium',
  note: 'low',
  none: 'info',
})

/** ZAP riskcode → severity: 3 high, 2 medium, 1 low, 0 informational. ZAP has no "critical". */
export const ZAP_RISK_SEVERITY: Readonly<Record<string, Severity>> = Object.freeze({
  '3': 'high',
  '2': 'medium',
  '1': 'low',
  '0': 'info',
})

export type Counts = Record<Severity | 'total', number>

export function countBySeverity(findings: readonly Finding[]): Counts {
  const counts: Counts = { critical: 0, high: 0, medium: 0, low: 0, info: 0, total: 0 }
  for (const f of findings) {
    counts[f.severity]++
    counts.total++
  }
  return counts
}

/** The worst findings first (severity, then score), at most `limit`. Stable for equal ones. */
export function topFindings(findings: readonly Finding[], limit = 10): Finding[] {
  const rank = (s: Severity) => SEVERITIES.indexOf(s)
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f.severity) - rank(b.f.severity) || (b.f.score ?? -1) - (a.f.score ?? -1) || a.i - b.i)
    .slice(0, limit)
    .map(({ f }) => f)
}
