// The one sanitiser for what golive prints on a terminal: history rows, error messages, a
// check's JSON. Text from a target or a stored file may carry ESC/OSC/BEL sequences, C1
// controls or bidi overrides (U+202A-E, U+2066-9) that rewrite what the person sees; they go.

import { singleLine, stripControl } from './escape.js'

export { singleLine, stripControl }

/** Text for a terminal: controls and bidi overrides removed, newlines and tabs kept. */
export const terminalText = stripControl

// what JSON.stringify leaves raw but a terminal acts on: DEL, C1, bidi controls, line separators
const JSON_UNSAFE = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** JSON.stringify whose output carries no control character a terminal acts on: C0 is escaped
 *  by JSON itself; C1, bidi and line separators become \uXXXX escapes. The data is unchanged. */
export function safeJson(value: unknown, indent: number = 2): string {
  const text = JSON.stringify(value, null, indent) ?? 'null'
  return text.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
