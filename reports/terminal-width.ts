// Display width for the terminal report: what a terminal shows, not what JavaScript counts.
// ANSI colour takes no columns, CJK and emoji take two, combining marks none.

const SGR_RE = /\u001b\[[0-9;]*m/g

/** Columns the report may use: the terminal's, else $COLUMNS, else 100 (CI logs, pipes). */
export function reportWidth(stdoutColumns: number | undefined, env: string | undefined): number {
  if (typeof stdoutColumns === 'number' && stdoutColumns > 0) return clampWidth(stdoutColumns)
  const n = Number(env)
  return Number.isInteger(n) && n > 0 ? clampWidth(n) : 100
}

/** Narrower than 40 nothing reads; the report still never exceeds what it was given above that. */
function clampWidth(n: number): number {
  return Math.max(40, Math.floor(n))
}

export function stripSgr(text: string): string {
  return text.replace(SGR_RE, '')
}

export function charWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2
  return 1
}

export function displayWidth(text: string): number {
  let w = 0
  for (const ch of stripSgr(text)) w += charWidth(ch.codePointAt(0)!)
  return w
}

/** Plain text cut to `width` columns with an ellipsis; never splits a code point. */
export function fit(text: string, width: number): string {
  if (displayWidth(text) <= width) return text
  if (width <= 0) return ''
  let w = 0
  let out = ''
  for (const ch of text) {
    const cw = charWidth(ch.codePointAt(0)!)
    if (w + cw > width - 1) break
    out += ch
    w += cw
  }
  return `${out}…`
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)))
}
