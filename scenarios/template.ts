// {{variable}} templates in paths, headers and bodies, pre-parsed once so that each request
// only joins strings. Variables: captures, the data row ({{user.name}}), vars, __VU, __ITER.

export type Vars = Record<string, unknown>
type Part = string | { path: string[] }
export interface Template {
  parts: Part[]
  static: string | null
}

const VAR_RE = /\{\{\s*([A-Za-z_$][\w$]*(?:\.[\w$]+)*)\s*\}\}/g
// no /g: a global regex keeps lastIndex between test() calls
const HAS_VAR_RE = /\{\{\s*[A-Za-z_$][\w$]*(?:\.[\w$]+)*\s*\}\}/

export function parseTemplate(text: string): Template {
  const parts: Part[] = []
  let last = 0
  for (const m of text.matchAll(VAR_RE)) {
    if (m.index! > last) parts.push(text.slice(last, m.index))
    parts.push({ path: m[1]!.split('.') })
    last = m.index! + m[0].length
  }
  if (last < text.length) parts.push(text.slice(last))
  const isStatic = parts.every((p) => typeof p === 'string')
  return { parts, static: isStatic ? parts.join('') : null }
}

export function lookup(vars: Vars, path: string[]): unknown {
  let v: unknown = vars
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[key]
  }
  return v
}

/** Renders a template; an undefined variable renders as '' and is reported through `missing`. */
export function render(t: Template, vars: Vars, missing?: (name: string) => void): string {
  if (t.static !== null) return t.static
  let out = ''
  for (const p of t.parts) {
    if (typeof p === 'string') {
      out += p
      continue
    }
    const v = lookup(vars, p.path)
    if (v === undefined || v === null) missing?.(p.path.join('.'))
    else out += typeof v === 'object' ? JSON.stringify(v) : String(v)
  }
  return out
}

/** JSON bodies: strings are templates; a string that is exactly one {{var}} keeps the value's type. */
export type JsonTemplate = { kind: 'static'; text: string } | { kind: 'dynamic'; value: unknown }

export function parseJsonTemplate(value: unknown): JsonTemplate {
  const text = JSON.stringify(value)
  return HAS_VAR_RE.test(text) ? { kind: 'dynamic', value } : { kind: 'static', text }
}

export function renderJson(t: JsonTemplate, vars: Vars, missing?: (name: string) => void): string {
  if (t.kind === 'static') return t.text
  return JSON.stringify(renderValue(t.value, vars, missing))
}

function renderValue(value: unknown, vars: Vars, missing?: (name: string) => void): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([A-Za-z_$][\w$]*(?:\.[\w$]+)*)\s*\}\}$/.exec(value)
    if (whole) {
      const v = lookup(vars, whole[1]!.split('.'))
      if (v === undefined) missing?.(whole[1]!)
      return v ?? null
    }
    return render(parseTemplate(value), vars, missing)
  }
  if (Array.isArray(value)) return value.map((v) => renderValue(v, vars, missing))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = renderValue(v, vars, missing)
    return out
  }
  return value
}
