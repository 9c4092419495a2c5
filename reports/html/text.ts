// HTML text and the data block the charts read. Everything that may have come from a target
// goes through esc(); the chart data is JSON inside <script type="application/json">, with
// '<' written as \u003c so no value can close the script element.

import { escapeXml } from '../escape.js'

/** Text for HTML content or a double-quoted attribute: control characters gone, &<>"' escaped. */
export function esc(text: unknown): string {
  return escapeXml(text === null || text === undefined ? '' : String(text))
}

/** JSON that is safe inside <script type="application/json">: no '<', no line separators. */
export function scriptJson(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/** A table from escaped cells: `rows` are already HTML (pass each value through esc). */
export function table(head: string[], rows: string[][], cls = ''): string {
  if (rows.length === 0) return ''
  return (
    `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`
  )
}

/** A clipped, escaped text: long target strings stay readable; results.json keeps the whole. */
export function clip(text: unknown, max = 400): string {
  const s = text === null || text === undefined ? '' : String(text)
  const chars = Array.from(s)
  return esc(chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s)
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
