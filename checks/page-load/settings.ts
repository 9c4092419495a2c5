// The page-load check's settings (environments.<env>.checks.page-load), with defaults, read
// strictly: a typo must say which setting and what it takes, not silently measure something else.

import { existsSync } from 'node:fs'
import { settingsSchema } from '../../core/check.js'

export interface PageSpec {
  name: string
  url: string
}

export interface Throttling {
  name: string
  /** network: bytes per second down / up, added round-trip latency; null = not throttled */
  downloadKbps: number | null
  uploadKbps: number | null
  latencyMs: number
  /** Chromium's CPU slowdown factor (1 = none) */
  cpuSlowdown: number
}

export interface PageLoadSettings {
  pages: PageSpec[]
  runs: number
  executablePath: string
  throttling: Throttling | null
  /** one navigation's cap */
  timeoutMs: number
  /** how long after the load event the page may keep painting and shifting (LCP, CLS) */
  settleMs: number
  viewport: { width: number; height: number }
}

/** Chrome DevTools' presets (the figures Lighthouse and DevTools use). */
export const THROTTLING_PRESETS: Record<string, Omit<Throttling, 'name'>> = {
  none: { downloadKbps: null, uploadKbps: null, latencyMs: 0, cpuSlowdown: 1 },
  'fast-3g': { downloadKbps: 1_440, uploadKbps: 675, latencyMs: 150, cpuSlowdown: 1 },
  'slow-3g': { downloadKbps: 400, uploadKbps: 400, latencyMs: 400, cpuSlowdown: 1 },
  'slow-4g': { downloadKbps: 1_600, uploadKbps: 750, latencyMs: 150, cpuSlowdown: 4 },
  // Lighthouse's mobile default: slow 4G and a 4× slower CPU
  mobile: { downloadKbps: 1_600, uploadKbps: 750, latencyMs: 150, cpuSlowdown: 4 },
  'cpu-4x': { downloadKbps: null, uploadKbps: null, latencyMs: 0, cpuSlowdown: 4 },
}

const num = (min: number, max: number, dflt: number | undefined, description: string) => ({
  type: 'number',
  minimum: min,
  maximum: max,
  ...(dflt === undefined ? {} : { default: dflt }),
  description,
  'x-expected': `a number from ${min} to ${max}`,
  'x-fix': `give a number from ${min} to ${max}`,
})
const THROTTLE_NUMBER = (max: number) => ({
  type: 'number',
  minimum: 0,
  maximum: max,
  'x-expected': `a number from 0 to ${max}`,
  'x-fix': `give a number from 0 to ${max}`,
})

/** The declaration (loadConfig validates it); readSettings adds the value rules and defaults. */
export const PAGE_LOAD_SETTINGS = settingsSchema({
  pages: {
    type: 'array',
    minItems: 1,
    default: [{ name: 'home', path: '/' }],
    description: 'the pages to load: { name, path } (joined to the target) or { name, url }, or a path',
    items: {
      anyOf: [
        { type: 'string' },
        { type: 'object', properties: { name: { type: 'string' }, path: { type: 'string' }, url: { type: 'string' } }, additionalProperties: false },
      ],
      'x-expected': '{ name, path } or { name, url }',
      'x-fix': "write each page as { name: 'home', path: '/' }",
    },
    'x-expected': "a list of pages like { name: 'home', path: '/' }",
    'x-fix': "write pages as a list: [{ name: 'home', path: '/' }]",
  },
  runs: num(1, 20, 3, 'loads per page (fresh context each); figures are the median, *_worst the highest'),
  executablePath: {
    type: 'string',
    minLength: 1,
    description: 'the Chromium binary (default: GOLIVE_CHROMIUM, then /usr/bin/chromium, …)',
    'x-expected': 'the path of a Chromium binary',
    'x-fix': 'give the path of a Chromium binary, e.g. /usr/bin/chromium',
  },
  throttling: {
    anyOf: [
      { type: 'string', enum: Object.keys(THROTTLING_PRESETS) },
      {
        type: 'object',
        properties: {
          name: { type: 'string' },
          downloadKbps: THROTTLE_NUMBER(10_000_000),
          uploadKbps: THROTTLE_NUMBER(10_000_000),
          latencyMs: THROTTLE_NUMBER(60_000),
          cpuSlowdown: THROTTLE_NUMBER(20),
        },
        additionalProperties: false,
      },
    ],
    default: 'none',
    description: `network and CPU throttling: ${Object.keys(THROTTLING_PRESETS).join(', ')}, or { downloadKbps, uploadKbps, latencyMs, cpuSlowdown }`,
    'x-expected': `one of ${Object.keys(THROTTLING_PRESETS).join(', ')}, or an object`,
    'x-fix': "set throttling to a preset ('mobile') or { downloadKbps, uploadKbps, latencyMs, cpuSlowdown }",
  },
  cpuSlowdown: num(1, 20, 1, "Chromium's CPU slowdown factor (over the throttling's)"),
  timeoutMs: num(1_000, 300_000, 30_000, "one navigation's time limit, in ms"),
  settleMs: num(0, 10_000, 500, 'how long after the load event the page may keep painting and shifting (LCP, CLS), in ms'),
  viewport: {
    type: 'object',
    properties: { width: { type: 'integer' }, height: { type: 'integer' } },
    required: ['width', 'height'],
    additionalProperties: false,
    default: { width: 1350, height: 940 },
    description: 'the window size in pixels',
    'x-expected': '{ width, height } in pixels',
    'x-fix': 'write viewport as { width: 1350, height: 940 }',
  },
})

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']
const NAME_RE = /^[A-Za-z0-9_-]+$/

/** Chromium on this machine: the setting, GOLIVE_CHROMIUM, then Debian's and Google's paths. */
export function findChromium(configured: string | undefined): string {
  if (configured) return configured
  if (process.env.GOLIVE_CHROMIUM) return process.env.GOLIVE_CHROMIUM
  return CANDIDATES.find((p) => existsSync(p)) ?? CANDIDATES[0]!
}

export function readSettings(raw: Record<string, unknown>, baseUrl: string): PageLoadSettings {
  const s = raw
  const bad = (key: string, want: string): never => {
    throw new Error(`checks.page-load.${key}: expected ${want}, got ${JSON.stringify(s[key])}`)
  }
  const num = (key: string, dflt: number, min: number, max: number): number => {
    const v = s[key]
    if (v === undefined) return dflt
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) bad(key, `a number from ${min} to ${max}`)
    return v as number
  }
  // underLoad: golive run also loads the pages while the first scenario holds its peak (cli/measure.ts)
  // the declared keys (loadConfig has refused others already; this guards direct callers)
  const known = new Set(Object.keys(PAGE_LOAD_SETTINGS.properties))
  if (s.underLoad !== undefined && typeof s.underLoad !== 'boolean') bad('underLoad', 'true or false')
  for (const k of Object.keys(s)) if (!known.has(k)) throw new Error(`checks.page-load.${k}: unknown setting (known: ${[...known].join(', ')})`)

  const pagesRaw = s.pages ?? [{ name: 'home', path: '/' }]
  if (!Array.isArray(pagesRaw) || pagesRaw.length === 0) bad('pages', "a list of pages like { name: 'home', path: '/' }")
  const seen = new Set<string>()
  const pages = (pagesRaw as unknown[]).map((p, i): PageSpec => {
    const at = `checks.page-load.pages[${i}]`
    if (typeof p === 'string') p = { name: pageName(p), path: p }
    if (typeof p !== 'object' || p === null) throw new Error(`${at}: expected { name, path } or { name, url }, got ${JSON.stringify(p)}`)
    const o = p as Record<string, unknown>
    const name = o.name ?? pageName(String(o.path ?? o.url ?? ''))
    if (typeof name !== 'string' || !NAME_RE.test(name))
      throw new Error(`${at}.name: expected letters, digits, - or _ (it becomes part of figure names), got ${JSON.stringify(o.name)}`)
    if (seen.has(name)) throw new Error(`${at}.name: '${name}' is used twice: give each page its own name`)
    seen.add(name)
    const where = o.url ?? o.path
    if (typeof where !== 'string' || where === '') throw new Error(`${at}: give path (joined to the target, e.g. '/') or url`)
    let url: URL
    try {
      const base = new URL(baseUrl)
      // a path is joined to the target's base path: '/' on https://host/app is https://host/app/
      url = where.startsWith('/') ? new URL(`${base.pathname.replace(/\/$/, '')}${where}`, base.origin) : new URL(where)
    } catch {
      throw new Error(`${at}: '${where}' is not a URL or a path starting with /`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${at}: ${url.href} is not http(s)`)
    return { name, url: url.href }
  })

  let throttling: Throttling | null = null
  const t = s.throttling
  if (typeof t === 'string') {
    const preset = Object.hasOwn(THROTTLING_PRESETS, t) ? THROTTLING_PRESETS[t] : undefined
    if (!preset) bad('throttling', `one of ${Object.keys(THROTTLING_PRESETS).join(', ')}, or { downloadKbps, uploadKbps, latencyMs, cpuSlowdown }`)
    throttling = t === 'none' ? null : { name: t, ...preset! }
  } else if (typeof t === 'object' && t !== null && !Array.isArray(t)) {
    const o = t as Record<string, unknown>
    const n = (k: string, dflt: number | null, max: number) => {
      const v = o[k]
      if (v === undefined) return dflt
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max)
        throw new Error(`checks.page-load.throttling.${k}: expected a number from 0 to ${max}, got ${JSON.stringify(v)}`)
      return v
    }
    throttling = {
      name: typeof o.name === 'string' ? o.name : 'custom',
      downloadKbps: n('downloadKbps', null, 10_000_000),
      uploadKbps: n('uploadKbps', null, 10_000_000),
      latencyMs: n('latencyMs', 0, 60_000)!,
      cpuSlowdown: Math.max(1, n('cpuSlowdown', 1, 20)!),
    }
  } else if (t !== undefined) {
    bad('throttling', `one of ${Object.keys(THROTTLING_PRESETS).join(', ')}, or an object`)
  }
  if (s.cpuSlowdown !== undefined) {
    const f = num('cpuSlowdown', 1, 1, 20)
    throttling = { ...(throttling ?? { name: `cpu-${f}x`, downloadKbps: null, uploadKbps: null, latencyMs: 0 }), cpuSlowdown: f }
  }
  const vp = s.viewport
  let viewport = { width: 1350, height: 940 }
  if (vp !== undefined) {
    const o = vp as Record<string, unknown>
    if (typeof vp !== 'object' || vp === null || !Number.isInteger(o.width) || !Number.isInteger(o.height)) bad('viewport', '{ width, height } in pixels')
    viewport = { width: o.width as number, height: o.height as number }
  }
  const exe = s.executablePath
  if (exe !== undefined && (typeof exe !== 'string' || exe === '')) bad('executablePath', 'the path of a Chromium binary, e.g. /usr/bin/chromium')
  return {
    pages,
    runs: Math.floor(num('runs', 3, 1, 20)),
    executablePath: findChromium(exe as string | undefined),
    throttling,
    timeoutMs: num('timeoutMs', 30_000, 1_000, 300_000),
    settleMs: num('settleMs', 500, 0, 10_000),
    viewport,
  }
}

function pageName(path: string): string {
  const n = path
    .replace(/^https?:\/\/[^/]+/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return n || 'home'
}
