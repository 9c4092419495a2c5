// The session fields of a scenario compiled into the plan: the jar's lifetime, redirect limits,
// form and multipart bodies (files read once, here), and cookie captures. Compile-time errors
// only; the scenario file's schema is validated elsewhere.

import { readFileSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import type { CaptureSpec, MultipartFile, Scenario, Step } from './dsl.js'
import { DEFAULT_REDIRECTS } from './redirects.js'
import { parseTemplate, type Template } from './template.js'

type Fail = (path: string, problem: string, fix: string) => never

/** A multipart part: a text field (a template), or a file read at compile time (base64, so the
 *  plan stays plain data for worker threads and the k6 script). */
export type PlanPart = { name: string; text: Template } | { name: string; file: { data: string; filename: string; contentType: string } }

export type CookieMode = 'journey' | 'keep' | 'off'

export function compileCookies(s: Scenario, fail: Fail): CookieMode {
  const c = s.cookies
  if (c === undefined || c === true) return 'journey'
  if (c === false) return 'off'
  if (c === 'keep') return 'keep'
  return fail(
    'cookies',
    `expected true, false or 'keep', got ${JSON.stringify(c)}`,
    "leave it out (a jar per journey), write cookies: 'keep' (kept for the user's life) or cookies: false",
  )
}

export function compileRedirects(v: unknown, path: string, fallback: number | undefined, fail: Fail): number {
  if (v === undefined) return fallback ?? DEFAULT_REDIRECTS
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 100))
    fail(path, `expected a whole number of hops 0–100, got ${JSON.stringify(v)}`, 'write redirects: 0 (the step sees the 3xx) or a limit such as 5')
  return v as number
}

/** Which body a step sends: at most one of json, body, form and multipart. */
export function checkOneBody(st: Step, p: string, fail: Fail): void {
  const set = (['json', 'body', 'form', 'multipart'] as const).filter((k) => st[k] !== undefined)
  if (set.length > 1) fail(p, `${set.length === 2 ? 'both ' : ''}${set.join(' and ')} are set, and a step sends one body`, `keep one of ${set.join(', ')}`)
}

export function compileForm(form: Step['form'], p: string, fail: Fail): [string, Template][] | null {
  if (form === undefined) return null
  if (!form || typeof form !== 'object' || Array.isArray(form))
    fail(`${p}.form`, 'expected an object of field: value', "write form: { username: '{{user.name}}' }")
  return Object.entries(form!).map(([k, v]) => {
    if (typeof v !== 'string' && typeof v !== 'number')
      fail(`${p}.form.${k}`, `expected text, got ${JSON.stringify(v)}`, 'form values are text (they may use {{variables}})')
    return [k, parseTemplate(String(v))]
  })
}

export function compileMultipart(mp: Step['multipart'], p: string, scenarioFile: string, fail: Fail): PlanPart[] | null {
  if (mp === undefined) return null
  if (!mp || typeof mp !== 'object' || Array.isArray(mp))
    fail(
      `${p}.multipart`,
      'expected an object of field: text or { file }',
      "write multipart: { name: 'ann', avatar: { file: './avatar.png', contentType: 'image/png' } }",
    )
  return Object.entries(mp!).map(([name, v]): PlanPart => {
    const at = `${p}.multipart.${name}`
    if (typeof v === 'string' || typeof v === 'number') return { name, text: parseTemplate(String(v)) }
    const f = v as MultipartFile
    if (!f || typeof f !== 'object' || typeof f.file !== 'string')
      return fail(at, 'expected text or { file, contentType?, filename? }', "write { file: './avatar.png', contentType: 'image/png' }")
    const path = resolve(dirname(scenarioFile), f.file)
    let data: Buffer
    try {
      data = readFileSync(path)
    } catch (e) {
      return fail(
        `${at}.file`,
        `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        'check the path; it is relative to the scenario file',
      )
    }
    return { name, file: { data: data.toString('base64'), filename: f.filename ?? basename(path), contentType: f.contentType ?? 'application/octet-stream' } }
  })
}

/** Cookie captures read the user's jar, not the response: split them from the others. */
export function splitCookieCaptures(
  capture: Step['capture'],
  p: string,
  cookies: CookieMode,
  fail: Fail,
): { others: [string, CaptureSpec][]; cookie: { name: string; cookie: string }[] } {
  const others: [string, CaptureSpec][] = []
  const cookie: { name: string; cookie: string }[] = []
  for (const [name, spec] of Object.entries(capture ?? {})) {
    if (spec && typeof spec === 'object' && 'cookie' in spec) {
      if (typeof spec.cookie !== 'string' || spec.cookie === '') fail(`${p}.capture.${name}.cookie`, 'expected a cookie name', "write { cookie: 'sid' }")
      if (cookies === 'off')
        fail(
          `${p}.capture.${name}`,
          'a cookie capture reads the cookie jar, and this scenario sets cookies: false',
          "remove cookies: false, or capture the header: { header: 'set-cookie' } with a regex",
        )
      cookie.push({ name, cookie: spec.cookie })
    } else others.push([name, spec])
  }
  return { others, cookie }
}
