// The findings check: what vulnerability scanners found (SARIF 2.1.0 from ZAP, Trivy, Snyk,
// Semgrep, ...; ZAP's JSON report), counted by severity, with the worst listed by location.
// It reads files only: the scanners run before golive, in CI or by hand.
//
// Settings (environments.<env>.checks.findings):
//   files: string[]   scanner reports, relative to the config file (the CLI makes them absolute)
//   top?: number      how many of the worst findings to list in the evidence (default 10)

import { readFile } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { resultClock, settingsSchema, type Check, type CheckContext } from '../core/check.js'
import type { CheckResult } from '../core/results.js'
import { headings, tableDetail } from '../core/details.js'
import { readReport, type ReportRead } from './findings/read.js'
import { countBySeverity, FindingsFileError, SEVERITIES, topFindings } from './findings/severity.js'

export const SEVERITY_MAPPING = {
  'sarif security-severity': '>= 9 critical, >= 7 high, >= 4 medium, > 0 low, 0 info (result, else its rule)',
  'sarif level': 'error high, warning medium, note low, none info (result, else rule default, else warning)',
  'zap riskcode': '3 high, 2 medium, 1 low, 0 info (one finding per instance)',
}

/** The report files from the settings, absolute (relative ones against `base`). */
export function reportFiles(settings: Record<string, unknown>, base: string): string[] {
  const raw = settings.files ?? settings.file
  const list = typeof raw === 'string' ? [raw] : raw
  if (!Array.isArray(list) || list.length === 0 || !list.every((f) => typeof f === 'string' && f !== '')) {
    throw new Error('no scanner reports to read: set checks.findings.files to a list of SARIF or ZAP JSON files (relative to the config file)')
  }
  return (list as string[]).map((f) => (isAbsolute(f) ? f : resolve(base, f)))
}

const FILE_FIX = "set files to a list of SARIF or ZAP JSON report files, e.g. files: ['zap.json'] (relative to the config file)"

export const findings: Check = {
  settings: settingsSchema({
    files: {
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      description: 'the scanner reports to read: SARIF 2.1.0 or ZAP JSON, relative to the config file',
      'x-expected': 'a report file or a list of them',
      'x-fix': FILE_FIX,
    },
    file: { type: 'string', description: 'one report file (files takes a list)', 'x-expected': 'a report file', 'x-fix': FILE_FIX },
    top: {
      type: 'number',
      minimum: 0,
      default: 10,
      description: 'how many findings the evidence lists, most severe first',
      'x-expected': 'a number (0 or more)',
      'x-fix': 'set top to a number of findings to list, e.g. 10',
    },
  }),
  figures: [
    ...SEVERITIES.map((s) => ({ name: s, unit: 'count' as const, meaning: `findings of severity ${s}` })),
    { name: 'total', unit: 'count', meaning: 'findings of every severity' },
  ],
  id: 'findings',
  title: 'Vulnerability scanner findings',
  group: 'Security',
  async run(ctx: CheckContext): Promise<CheckResult> {
    const done = resultClock(findings)
    let files: string[]
    try {
      files = reportFiles(ctx.settings, ctx.configDir)
    } catch (e) {
      return done({ status: 'error', reason: (e as Error).message, figures: {}, evidence: null })
    }
    const reports: ReportRead[] = []
    try {
      for (const file of files) {
        let text: string
        try {
          text = await readFile(file, 'utf8')
        } catch (e) {
          throw new FindingsFileError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
        }
        reports.push(readReport(text, file))
      }
    } catch (e) {
      if (!(e instanceof FindingsFileError)) throw e
      // no partial counts: a report left out could hide the one critical finding
      return done({ status: 'error', reason: e.message, figures: {}, evidence: { files } })
    }
    const all = reports.flatMap((r) => r.findings)
    const counts = countBySeverity(all)
    const limit = typeof ctx.settings.top === 'number' && ctx.settings.top >= 0 ? Math.floor(ctx.settings.top) : 10
    const figures: CheckResult['figures'] = {}
    for (const s of [...SEVERITIES, 'total'] as const) figures[s] = { value: counts[s], unit: 'count' }
    const perFile = reports.map((r) => ({
      file: r.file,
      format: r.format,
      tools: r.tools,
      counts: countBySeverity(r.findings),
      ...(r.leftOut ? { leftOut: r.leftOut } : {}),
    }))
    const top = topFindings(all, limit).map((f) => ({
      severity: f.severity,
      basis: f.basis,
      rule: f.ruleId,
      tool: f.tool,
      location: f.location,
      message: f.message,
      file: f.file,
    }))
    return done({
      status: 'measured',
      figures,
      evidence: { files: perFile, top, mapping: SEVERITY_MAPPING },
      details: [
        tableDetail(
          [
            ...headings(['file', 'report', 'code'], ['format', 'format'], ['tools', 'tools']),
            ...[...SEVERITIES, 'total'].map((k) => ({ key: k, label: k, unit: 'count' as const })),
            ...headings(['leftOut', 'left out', 'text']),
          ],
          perFile.map((f) => ({ ...f.counts, file: f.file, format: f.format, tools: f.tools.join(', '), leftOut: f.leftOut })),
          { title: 'Reports read' },
        ),
        tableDetail(
          headings(
            ['severity', 'severity'],
            ['rule', 'rule', 'code'],
            ['tool', 'tool'],
            ['location', 'location', 'code'],
            ['message', 'message', 'text'],
            ['basis', 'severity from', 'text'],
          ),
          top,
          { title: `The worst findings (up to ${limit})`, ...(top.length ? {} : { note: 'No findings.' }) },
        ),
      ],
    })
  },
}
