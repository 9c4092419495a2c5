// Escaping for text that came from the target: scenario and step names, error messages,
// check reasons, figure values, run.target. A response header or an error body is
// attacker-controlled, so every renderer passes such text through one of these.

// ECMA-48 sequences, removed whole so their parameters ('[31m') do not linger as text.
// OSC / DCS / SOS / PM / APC strings end with BEL or ST; CSI with a final byte; the rest are ESC + one.
const ANSI_RE = new RegExp(
  [
    '(?:\\u001b[\\]PX^_]|[\\u0090\\u0098\\u009d-\\u009f])[^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)',
    '(?:\\u001b\\[|\\u009b)[0-?]*[ -/]*[@-~]',
    '\\u001b[ -/]*[0-~]',
  ].join('|'),
  'g',
)

// C0 except tab and newline, DEL, C1; plus the bidi embedding / override / isolate controls,
// which reorder what a terminal or browser shows (Trojan Source, CVE-2021-42574).
const CONTROL_RE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** Removes ANSI escape sequences and control characters, keeping newline and tab.
 *  The ESC character itself always goes, so nothing in the result can start a sequence. */
export function stripControl(text: string): string {
  return String(text).replace(ANSI_RE, '').replace(CONTROL_RE, '')
}

/** stripControl, then newlines and tabs become single spaces: for names, banners, table cells. */
export function singleLine(text: string): string {
  return stripControl(text)
    .replace(/\s*[\n\t]+\s*/g, ' ')
    .trim()
}

// What XML 1.0 allows (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]);
// the 'u' flag makes a lone surrogate one code point, so it is removed too.
const XML_INVALID_RE = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** Escapes text for XML content or a quoted attribute, dropping what XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  return stripControl(text)
    .replace(XML_INVALID_RE, '')
    .replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!)
}

/** escapeXml for attribute values: parsers normalise raw newlines and tabs there to spaces. */
export function escapeXmlAttr(text: string): string {
  return escapeXml(text).replace(/\n/g, '&#10;').replace(/\t/g, '&#9;')
}

/** Escapes text for a GitHub-flavoured Markdown table cell (safe in a paragraph too): one line,
 *  no HTML, no pipes that split the row, no emphasis, code spans or links. */
export function escapeMarkdownCell(text: string): string {
  return stripControl(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_~[\]|]/g, '\\$&')
    .replace(/\t/g, ' ')
    .replace(/\n/g, '<br>')
}
