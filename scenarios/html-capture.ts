// HTML captures ({ html: 'input[name=csrf]', attr: 'value' }): htmlparser2 parses, css-select
// finds the first match. Pure JavaScript, so esbuild bundles the same code into the k6 script and
// both engines capture alike. Selectors compile once per step, documents parse once per response.
// Importing this module registers it with judge.ts (the k6 bundle imports it only for scenarios
// that have html captures).

import { parseDocument } from 'htmlparser2'
import { compile, selectOne } from 'css-select'
import { getAttributeValue, textContent } from 'domutils'
import type { Element } from 'domhandler'
import { useHtmlCaptures } from './step-checks.js'

type Compiled = ReturnType<typeof compile>
const compiled = new Map<string, Compiled>()

/** throws on a selector css-select cannot compile (compile-time check) */
export function compileSelector(selector: string): Compiled {
  let c = compiled.get(selector)
  if (!c) {
    c = compile(selector)
    compiled.set(selector, c)
  }
  return c
}

export type HtmlDoc = ReturnType<typeof parseDocument>

export function parseHtml(text: string): HtmlDoc {
  return parseDocument(text)
}

/** the first match's attribute (or text content when no attr), or undefined */
export function selectValue(doc: HtmlDoc, selector: string, attr: string | undefined): string | undefined {
  const el = selectOne(compileSelector(selector), doc.children) as Element | null
  if (!el) return undefined
  return attr === undefined ? textContent(el).trim() : getAttributeValue(el, attr)
}

useHtmlCaptures((text) => {
  const doc = parseHtml(text)
  return (selector, attr) => selectValue(doc, selector, attr)
})
