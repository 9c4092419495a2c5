import { UsageError } from '../../core/errors.js'
import { REPORTERS } from '../../reports/index.js'

/** The file reports to write: config's list, or all of them. --ci forces JUnit and Markdown on. */
export function reportFormats(values: Record<string, unknown>, configured: string[] | undefined, ci: boolean): string[] {
  const formats = new Set(configured ?? ['json', 'scorecard', 'junit', 'markdown', 'html'])
  formats.add('json')
  formats.add('scorecard')
  // the picture of the run: always next to results.json
  formats.add('html')
  if (ci) {
    formats.add('junit')
    formats.add('markdown')
  }
  const f = values.format
  if (typeof f === 'string' && f !== 'json' && f !== 'terminal' && !(f in REPORTERS)) {
    throw new UsageError(`--format ${f}: unknown format`, `use one of ${Object.keys(REPORTERS).join(', ')}`)
  }
  return [...formats]
}
