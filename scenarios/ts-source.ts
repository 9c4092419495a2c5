// Writing scenario files as TypeScript source: string literals, object literals, step names, and
// a whole scenario with the comments that say what was guessed. Used by `golive init` and by
// `golive scenario from-har` / `from-openapi`, so every generated file reads alike.

import type { Step } from './dsl.js'

/** a single-quoted TypeScript string literal */
export const q = (s: string): string =>
  `'${s.replace(/[\\']/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`

/** an object key: bare when it is an identifier */
export const key = (s: string): string => (/^[A-Za-z_$][\w$]*$/.test(s) ? s : q(s))

/** A value as a TypeScript literal on one line (objects, arrays, strings, numbers, booleans, null). */
export function literal(v: unknown): string {
  if (typeof v === 'string') return q(v)
  if (v === null || v === undefined) return 'null'
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`
  if (typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${key(k)}: ${literal(x)}`)
    return parts.length ? `{ ${parts.join(', ')} }` : '{}'
  }
  return String(v)
}

/** '/api/items?x=1' → 'api-items-x-1'; at most 40 characters */
export function stepName(path: string): string {
  return (
    path
      .replace(/[^A-Za-z0-9_]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'home'
  )
}

/** Step names become figure names: letters, digits, - and _, each once ('a', 'a-2', ...). */
export function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>()
  return names.map((name) => {
    let n = name
    for (let i = 2; seen.has(n); i++) n = `${name}-${i}`
    seen.add(n)
    return n
  })
}

/** A variable name ({{name}}) from a field or key name: 'csrf-token' → 'csrf_token'. */
export function varName(s: string, fallback = 'value'): string {
  const n = s.replace(/[^A-Za-z0-9_$]+/g, '_').replace(/^_+|_+$/g, '')
  return !n ? fallback : /^[0-9]/.test(n) ? `_${n}` : n
}

/** A step to write, with comments: `above` before the step, `fields` before one of its fields. */
export interface DraftStep {
  step: Step
  above?: string[]
  fields?: Partial<Record<keyof Step, string[]>>
}

export interface Draft {
  /** comment lines at the top of the file */
  header: string[]
  name: string
  description: string
  /** the profile and its comment, as source text */
  profile?: { comment: string[]; source: string }
  steps: DraftStep[]
}

const FIELD_ORDER: (keyof Step)[] = [
  'name',
  'method',
  'path',
  'headers',
  'json',
  'body',
  'form',
  'multipart',
  'redirects',
  'capture',
  'check',
  'thinkTime',
  'timeout',
  'maxBodyBytes',
]

/** The scenario file: header comments, defineScenario, one multi-line object per step. */
export function renderDraft(d: Draft): string {
  const comment = (lines: string[] | undefined, indent: string) => (lines ?? []).map((l) => `${indent}// ${l}`.trimEnd()).join('\n')
  const steps = d.steps.map(({ step, above, fields }) => {
    const body = FIELD_ORDER.filter((f) => step[f] !== undefined).map((f) => {
      const c = comment(fields?.[f], '      ')
      return `${c ? `${c}\n` : ''}      ${f}: ${literal(step[f])},`
    })
    const c = comment(above, '    ')
    return `${c ? `${c}\n` : ''}    {\n${body.join('\n')}\n    },`
  })
  const profile = d.profile ?? {
    comment: [
      `100 users for 1 min: the go-live preset's load.${d.name}.vus_max >= 100 gate asks for 100`,
      'concurrent users (fewer, say --vus 5 for a smoke run, reads NO-GO on that gate, never GO).',
      '--vus and --duration override it. TODO: your launch-day load',
    ],
    source: "{ model: 'closed', vus: 100, duration: '1m' }",
  }
  return `${comment(d.header, '')}
import { defineScenario } from 'golive'

export default defineScenario({
  name: ${q(d.name)},
  description: ${q(d.description)},
${comment(profile.comment, '  ')}
  profile: ${profile.source},
  steps: [
${steps.join('\n')}
  ],
})
`
}
