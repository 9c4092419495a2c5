// The one input every reporter takes, and the shape of a reporter. Renderers return strings;
// the caller decides where they go, so a reporter never touches the file system.

import type { Results, Scorecard } from '../core/results.js'
import type { HistoryRun } from '../core/run-history.js'

export type { HistoryRun }

export interface ReportInput {
  results: Results
  scorecard: Scorecard
  /** files the caller wrote (or will write) for this run, listed at the end of the terminal report */
  files?: { label: string; path: string }[]
  /** earlier runs from the history store, oldest first, this run last: the trend view */
  history?: HistoryRun[]
}

export interface RenderOptions {
  /** ANSI colour: only the terminal reporter uses it, and only when true */
  color?: boolean
  /** terminal report: columns it may use (default 100) and every row in full */
  width?: number
  verbose?: boolean
}

export interface Reporter {
  format: string
  /** default file name, or null for a reporter that only prints (terminal) */
  fileName: string | null
  render(input: ReportInput, opts?: RenderOptions): string
}
