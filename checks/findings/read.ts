// One scanner report's text → its findings, whichever format it is. Pure (no file system).

import { FindingsFileError, type Finding } from './severity.js'
import { readSarif } from './sarif.js'
import { isZapReport, readZapJson } from './zap.js'

export interface ReportRead {
  file: string
  format: 'sarif-2.1.0' | 'zap-json'
  tools: string[]
  findings: Finding[]
  leftOut?: { suppressed: number; notFindings: number; absent: number }
}

export function readReport(text: string, file: string): ReportRead {
  let doc: unknown
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (e) {
    const what = text.trim() === '' ? 'the file is empty' : (e as Error).message
    throw new FindingsFileError(file, `not JSON (${what}): golive reads SARIF 2.1.0 and ZAP's JSON report`)
  }
  if (isZapReport(doc)) {
    const findings = readZapJson(doc, file)
    return { file, format: 'zap-json', tools: [...new Set(findings.map((f) => f.tool))], findings }
  }
  const looksSarif = typeof doc === 'object' && doc !== null && !Array.isArray(doc) && ('runs' in doc || 'version' in doc || '$schema' in doc)
  if (!looksSarif) {
    throw new FindingsFileError(file, 'JSON, but neither SARIF 2.1.0 (no "version": "2.1.0" and "runs") nor a ZAP JSON report (no "site")')
  }
  const sarif = readSarif(doc, file)
  return { file, format: 'sarif-2.1.0', tools: sarif.tools, findings: sarif.findings, leftOut: sarif.leftOut }
}
