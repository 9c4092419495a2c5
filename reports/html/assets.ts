// uPlot (the chart library) is read from node_modules when a report is rendered and inlined
// into the page, so report.html opens offline, from a mail attachment or a CI artifact.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

let cached: { js: string; css: string } | undefined

export function uplotAssets(): { js: string; css: string } {
  if (cached) return cached
  const require = createRequire(import.meta.url)
  let js: string, css: string
  try {
    js = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8')
    css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8')
  } catch (e) {
    throw new Error(`the chart library uPlot is not installed (${(e as Error).message.split('\n')[0]}): run npm ci`)
  }
  // inlined into <script>: a literal '</script' in the library would end the element early
  cached = { js: js.replace(/<\/script/gi, '<\\/script'), css: css.replace(/<\/style/gi, '<\\/style') }
  return cached
}
