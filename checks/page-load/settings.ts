// The page-load check's settings (environments.<env>.checks.page-load), with defaults, read
// strictly: a typo must say which setting and what it takes, not silently measure something else.

import { existsSync } from 'node:fs'
import { settingsSchema } from '../../core/check.js'
import { readDeclared } from '../../core/declared-settings.js'

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

/** The declaration: loadConfig validates it, readSettings reads by it (readDeclared). */
export const PAGE_LOAD_SETTINGS = settingsSchema({
  pages: {
    type: 'array',
    minItems: 1,
    default: [{ name: 'home', path: '/' }],
    description: 'the pages to load: { name, path } (joined to the target) or { name, url }, or a path',
    items: {
      anyOf: [
        { type: 'string' },
        {
          type: 'object',
          properties: {
            name: {
              type: 'string',
              pattern: '^[A-Za-z0-9_-]+$',
              'x-expected': 'letters, digits, - or _ (it becomes part of figure names)',
              'x-fix': "name the page with letters, digits, - or _, e.g. 'home'",
            },
            path: { type: 'string' },
            url: { type: 'string' },
          },
          additionalProperties: false,
        },
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
  cpuSlowdown: num(1, 20, undefined, "Chromium's CPU slowdown factor, over the throttling's (default: the throttling's, else 1)"),
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

/** Chromium on this machine: the setting, GOLIVE_CHROMIUM, then Debian's and Google's paths. */
export function findChromium(configured: string | undefined): string {
  if (configured) return configured
  if (process.env.GOLIVE_CHROMIUM) return process.env.GOLIVE_CHROMIUM
  return CANDIDATES.find((p) => existsSync(p)) ?? CANDIDATES[0]!
}

export function readSettings(raw: Record<string, unknown>, baseUrl: string): PageLoadSettings {
  // types, bounds, names, unknown keys and defaults: the declaration; below, pages → URLs and the throttling → numbers
  const s = readDeclared('page-load', PAGE_LOAD_SETTINGS, raw)
  const seen = new Set<string>()
  const pages = (s.pages as (string | { name?: string; path?: string; url?: string })[]).map((p, i): PageSpec => {
    const at = `checks.page-load.pages[${i}]`
    const o = typeof p === 'string' ? { path: p } : p
    const name = o.name ?? pageName(o.path ?? o.url ?? '')
    if (seen.has(name)) throw new Error(`${at}.name: '${name}' is used twice: give each page its own name`)
    seen.add(name)
    const where = o.url ?? o.path
    if (!where) throw new Error(`${at}: give path (joined to the target, e.g. '/') or url`)
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

  const t = s.throttling as string | Partial<Throttling>
  let throttling: Throttling | null =
    typeof t === 'string'
      ? t === 'none'
        ? null
        : { name: t, ...THROTTLING_PRESETS[t]! }
      : {
          name: t.name ?? 'custom',
          downloadKbps: t.downloadKbps ?? null,
          uploadKbps: t.uploadKbps ?? null,
          latencyMs: t.latencyMs ?? 0,
          cpuSlowdown: Math.max(1, t.cpuSlowdown ?? 1),
        }
  // a cpuSlowdown of its own overrides the throttling's (without one: CPU only)
  const f = s.cpuSlowdown as number | undefined
  if (f !== undefined) throttling = { ...(throttling ?? { name: `cpu-${f}x`, downloadKbps: null, uploadKbps: null, latencyMs: 0 }), cpuSlowdown: f }
  return {
    pages,
    runs: Math.floor(s.runs as number),
    executablePath: findChromium(s.executablePath as string | undefined),
    throttling,
    timeoutMs: s.timeoutMs as number,
    settleMs: s.settleMs as number,
    viewport: s.viewport as PageLoadSettings['viewport'],
  }
}

function pageName(path: string): string {
  const n = path
    .replace(/^https?:\/\/[^/]+/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return n || 'home'
}
