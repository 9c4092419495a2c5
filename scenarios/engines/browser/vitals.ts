// Web Vitals of every page view, measured by Google's web-vitals library (the code CrUX's
// numbers are defined by) injected into each page before its own scripts. With reportAllChanges
// the page reports every new value as it happens, through a binding, so a page view that is
// navigated away from keeps what it reported; at the end of an iteration each open page is told
// it was hidden, which is when web-vitals reports its final CLS and INP.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'

export const VITALS = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as const
export type VitalName = (typeof VITALS)[number]

const BINDING = '__goliveVital'
let script: string | null = null

function initScript(): string {
  if (script) return script
  const require = createRequire(import.meta.url)
  // the IIFE build (a global webVitals), next to the package's main file (its exports hide it)
  const lib = readFileSync(join(dirname(require.resolve('web-vitals')), 'web-vitals.iife.js'), 'utf8')
  // top frame only: an iframe is not a page view
  script = `if (window === window.top) {
${lib}
;(() => {
  const view = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const send = (m) => { try { window.${BINDING}({ view, name: m.name, value: m.value, url: location.href }) } catch (e) {} };
  const o = { reportAllChanges: true };
  webVitals.onLCP(send, o); webVitals.onINP(send, o); webVitals.onCLS(send, o); webVitals.onFCP(send, o); webVitals.onTTFB(send, o);
})();
}`
  return script
}

/** One page view's latest values (ms; CLS unitless). */
export type PageView = { url: string } & Partial<Record<VitalName, number>>

/** Collects the page views of one context. */
export class VitalsCollector {
  private readonly views = new Map<string, PageView>()

  async attach(context: BrowserContext): Promise<void> {
    await context.exposeBinding(BINDING, (_source, m: { view: string; name: VitalName; value: number; url: string }) => {
      if (!VITALS.includes(m.name) || typeof m.value !== 'number' || !Number.isFinite(m.value)) return
      const v = this.views.get(m.view) ?? { url: m.url }
      v[m.name] = m.value
      this.views.set(m.view, v)
    })
    await context.addInitScript(initScript())
  }

  /** Hides every open page (web-vitals' cue for the final CLS and INP), then waits for the reports. */
  async flush(context: BrowserContext): Promise<void> {
    await Promise.all(context.pages().map((p) => hide(p)))
  }

  pageViews(): PageView[] {
    return [...this.views.values()]
  }
}

async function hide(page: Page): Promise<void> {
  if (page.isClosed()) return
  try {
    // one frame first: an interaction's Event Timing entry exists only once the frame after it
    // presented, and web-vitals reads the final INP from the entries there are when the page hides
    // (on a busy machine the last click's entry could still be pending, and its view had no INP)
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))))
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
      document.dispatchEvent(new Event('visibilitychange'))
    })
    // a second round trip: the binding calls the first one caused have arrived by then
    await page.evaluate(() => new Promise((r) => setTimeout(r, 0)))
  } catch {
    /* the page closed or navigated meanwhile: it keeps what it reported */
  }
}

/** The 75th percentile, nearest rank (the value 75 % of page views are at or below). */
export function p75(values: number[]): number | null {
  if (!values.length) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil(0.75 * sorted.length) - 1)]!
}
