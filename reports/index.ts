// The reporters by format name, and a multiplexer that renders several at once. As in
// Playwright's multiplexer, one reporter throwing must not cost the user the other reports.

import { singleLine } from './escape.js'
import { html } from './html.js'
import { json, scorecardJson } from './json.js'
import { junit } from './junit.js'
import { markdown } from './markdown.js'
import { terminal } from './terminal.js'
import type { RenderOptions, ReportInput, Reporter } from './types.js'

export type { RenderOptions, ReportInput, Reporter } from './types.js'
export { html, json, junit, markdown, scorecardJson, terminal }

export const REPORTERS: Readonly<Record<string, Reporter>> = Object.freeze({
  terminal,
  json,
  scorecard: scorecardJson,
  junit,
  markdown,
  html,
})

export interface RenderedReport {
  format: string
  fileName: string | null
  /** the rendered text; absent when the reporter failed */
  content?: string
  /** why this one report could not be rendered; the others are unaffected */
  error?: string
}

/** Renders each format in order (duplicates once). Never throws: an unknown format or a
 *  throwing reporter becomes an entry with `error`. `reporters` is replaceable for tests. */
export function renderAll(
  formats: string[],
  input: ReportInput,
  opts: RenderOptions = {},
  reporters: Readonly<Record<string, Reporter>> = REPORTERS,
): RenderedReport[] {
  return [...new Set(formats)].map((format) => {
    // own keys only: 'constructor' or '__proto__' from a command line is not a reporter
    const reporter = Object.hasOwn(reporters, format) ? reporters[format] : undefined
    if (!reporter) {
      return { format, fileName: null, error: `unknown report format '${singleLine(format)}' (known: ${Object.keys(reporters).join(', ')})` }
    }
    try {
      const content = reporter.render(input, opts)
      if (typeof content !== 'string') throw new TypeError(`reporter returned ${typeof content}, not a string`)
      return { format, fileName: reporter.fileName, content }
    } catch (err) {
      // the message may quote target text, and the caller prints it
      return { format, fileName: reporter.fileName, error: singleLine(err instanceof Error ? err.message : String(err)) || 'reporter failed' }
    }
  })
}
