// JUnit XML for CI test views: one <testsuite> per source (a check, or 'load.<scenario>'), one
// <testcase> per scorecard row. CI counts any <failure> as failing, so only blocking rows fail;
// a warn-level failure passes with a WARN note, and rows that do not count are <skipped>.

import type { Results, ScorecardRow } from '../core/results.js'
import { escapeXml, escapeXmlAttr } from './escape.js'
import { gateLabel, sourceOf, verdictLine } from './format.js'
import { readRow } from './outcome.js'
import type { ReportInput, Reporter } from './types.js'

export const junit: Reporter = {
  format: 'junit',
  fileName: 'junit.xml',
  render({ results, scorecard }: ReportInput): string {
    const names = results.scenarios.map((s) => s.name)
    const bySource = new Map<string, ScorecardRow[]>()
    for (const row of scorecard.rows) {
      const source = sourceOf(row.figure, names)
      bySource.set(source, [...(bySource.get(source) ?? []), row])
    }

    const suites = [...bySource].map(([source, rows]) => suite(source, rows, results))
    const total = { tests: 0, failures: 0, skipped: 0 }
    for (const s of suites) {
      total.tests += s.tests
      total.failures += s.failures
      total.skipped += s.skipped
    }
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="golive" tests="${total.tests}" failures="${total.failures}" errors="0" skipped="${total.skipped}" time="${seconds(results.run.durationMs)}">`,
      ...suites.map((s) => s.xml),
      '</testsuites>',
      '',
    ].join('\n')
  },
}

function suite(source: string, rows: ScorecardRow[], results: Results) {
  const counts = { tests: rows.length, failures: 0, skipped: 0 }
  const cases = rows.map((row) => {
    const r = readRow(row)
    const open = `    <testcase name="${escapeXmlAttr(gateLabel(row))}" classname="${escapeXmlAttr(`golive.${source}`)}"`
    switch (r.kind) {
      case 'pass':
        return r.marginal
          ? `${open}>
      <system-out>${escapeXml(`MARGINAL: ${verdictLine(row)}: ${row.why}`)}</system-out>
    </testcase>`
          : `${open}/>`
      case 'failure':
        counts.failures++
        // a plain fail says expected vs actual; missing / skipped / error say which, first
        return (
          `${open}>\n      <failure message="` +
          `${escapeXmlAttr(row.outcome === 'fail' ? `${r.marginal ? 'marginal: ' : ''}${verdictLine(row)}` : `${r.label}: ${verdictLine(row)}`)}" ` +
          `type="${escapeXmlAttr(row.outcome)}">${escapeXml(row.why)}</failure>\n    </testcase>`
        )
      case 'warning':
        return `${open}>\n      <system-out>${escapeXml(`WARN: ${verdictLine(row)}: ${row.why}`)}</system-out>\n    </testcase>`
      case 'skipped':
        counts.skipped++
        return `${open}>\n      <skipped message="${escapeXmlAttr(`${r.label}: ${row.why}`)}"/>\n    </testcase>`
    }
  })
  const run = results.run
  const timing = sourceTiming(source, results)
  const props: [string, string][] = [
    ['run', run.id],
    ['target', run.target],
    ['environment', run.environment],
    ['partial', String(run.partial)],
  ]
  if (run.partial && run.partialReason) props.push(['partial_reason', run.partialReason])
  const xml = [
    `  <testsuite name="${escapeXmlAttr(source)}" tests="${counts.tests}" failures="${counts.failures}" errors="0" skipped="${counts.skipped}" ` +
      `time="${seconds(timing.durationMs)}" timestamp="${escapeXmlAttr(timing.startedAt)}">`,
    '    <properties>',
    ...props.map(([name, value]) => `      <property name="${name}" value="${escapeXmlAttr(value)}"/>`),
    '    </properties>',
    ...cases,
    '  </testsuite>',
  ].join('\n')
  return { ...counts, xml }
}

/** When and how long the source measured: its scenario or check, else the run's start and 0. */
function sourceTiming(source: string, results: Results): { startedAt: string; durationMs: number } {
  const measured = results.scenarios.find((s) => `load.${s.name}` === source) ?? results.checks.find((c) => c.id === source)
  return measured ?? { startedAt: results.run.startedAt, durationMs: 0 }
}

function seconds(ms: number): string {
  return Number.isFinite(ms) && ms > 0 ? (ms / 1000).toFixed(3) : '0'
}
