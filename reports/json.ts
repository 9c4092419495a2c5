// results.json and scorecard.json. results.json is the seam (`golive gate --from`, `golive report
// --from`), so it is written whole and unchanged: JSON.stringify already escapes control
// characters, and nothing is stripped from data that a later run must re-judge.

import type { ReportInput, Reporter } from './types.js'

export const json: Reporter = {
  format: 'json',
  fileName: 'results.json',
  render: (input: ReportInput) => `${JSON.stringify(input.results, null, 2)}\n`,
}

export const scorecardJson: Reporter = {
  format: 'scorecard',
  fileName: 'scorecard.json',
  render: (input: ReportInput) => `${JSON.stringify(input.scorecard, null, 2)}\n`,
}
