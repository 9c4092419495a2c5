// One page load in Chromium, driven by playwright-core: a fresh context (empty cache, no
// cookies), optional network and CPU throttling through the DevTools protocol, and the figures
// read from the page's own performance timeline (navigation timing, paint, LCP, layout shifts).

import type { Browser } from 'playwright-core'
import { cumulativeLayoutShift, type RunMetrics } from './stats.js'
import type { Throttling } from './settings.js'
import { collectAssets } from './assets-collect.js'
import type { CollectedResource } from './assets.js'
import { mayCarryCredentials, mayLoad, notAllowedMessage, originPolicy, type OriginPolicy } from '../../core/origins.js'

export interface RunOptions {
  url: string
  timeoutMs: number
  settleMs: number
  viewport: { width: number; height: number }
  throttling: Throttling | null
  /** the environment's headers and auth: sent only to its own origin (core/origins.ts) */
  headers: Record<string, string>
  /** where the page may be loaded from and where headers ride; default: the page's own origin */
  policy?: OriginPolicy
  /** a private CA signed the target: Chromium cannot take a CA file, so certificate errors are ignored (the tls check judges trust) */
  ignoreHttpsErrors: boolean
  /** collect every response for the asset audit (one run per page is enough: each starts cold) */
  collectAssets?: boolean
}

export interface RunOutcome {
  metrics: RunMetrics | null
  error?: string
  lcpElement?: string | null
  consoleErrors: string[]
  failedRequests: { url: string; error: string }[]
  /** the responses of this load, when collectAssets was asked */
  resources?: CollectedResource[]
}

// Installed before any page script runs: observers with buffered entries, so nothing is missed.
const OBSERVE = `(() => {
  const g = (window.__golive = { lcp: null, lcpElement: null, shifts: [] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        g.lcp = e.startTime;
        g.lcpElement = (e.element ? e.element.tagName.toLowerCase() : '?') + (e.url ? ' ' + e.url : '');
      }
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  } catch (e) {}
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) g.shifts.push([e.startTime, e.value]);
    }).observe({ type: 'layout-shift', buffered: true });
  } catch (e) {}
})();`

const MAX_KEPT = 50

export async function loadOnce(browser: Browser, o: RunOptions): Promise<RunOutcome> {
  const policy = o.policy ?? originPolicy(o.url)
  if (!mayLoad(policy, o.url)) return { metrics: null, error: notAllowedMessage(o.url), consoleErrors: [], failedRequests: [] }
  const context = await browser.newContext({
    viewport: o.viewport,
    ignoreHTTPSErrors: o.ignoreHttpsErrors,
    serviceWorkers: 'block',
  })
  // the headers only on requests to the environment's own origin (extraHTTPHeaders would send
  // them to every CDN and third party); Chromium does not carry overrides to a redirect hop
  if (Object.keys(o.headers).length > 0) {
    await context.route(
      (url) => mayCarryCredentials(policy, url),
      (route) => route.continue({ headers: { ...route.request().headers(), ...o.headers } }),
    )
  }
  const consoleErrors: string[] = []
  const failedRequests: { url: string; error: string }[] = []
  let consoleCount = 0,
    failedCount = 0,
    bytes = 0,
    requests = 0
  try {
    const page = await context.newPage()
    page.setDefaultTimeout(o.timeoutMs)
    page.on('console', (m) => {
      if (m.type() !== 'error') return
      consoleCount++
      if (consoleErrors.length < MAX_KEPT) consoleErrors.push(m.text().slice(0, 1000))
    })
    page.on('pageerror', (e) => {
      consoleCount++
      if (consoleErrors.length < MAX_KEPT) consoleErrors.push(`uncaught: ${String(e.message).slice(0, 1000)}`)
    })
    page.on('requestfailed', (r) => {
      failedCount++
      if (failedRequests.length < MAX_KEPT) failedRequests.push({ url: r.url().slice(0, 500), error: r.failure()?.errorText ?? 'failed' })
    })
    page.on('response', (r) => {
      if (r.status() < 400) return
      failedCount++
      if (failedRequests.length < MAX_KEPT) failedRequests.push({ url: r.url().slice(0, 500), error: `HTTP ${r.status()}` })
    })
    const cdp = await context.newCDPSession(page)
    cdp.on('Network.requestWillBeSent', (e: { request: { url: string } }) => {
      if (!e.request.url.startsWith('data:')) requests++
    })
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
      bytes += e.encodedDataLength
    })
    const assets = o.collectAssets ? collectAssets(cdp) : null
    await cdp.send('Network.enable')
    const t = o.throttling
    if (t) {
      if (t.downloadKbps !== null || t.uploadKbps !== null || t.latencyMs > 0) {
        await cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: t.latencyMs,
          downloadThroughput: t.downloadKbps === null ? -1 : (t.downloadKbps * 1024) / 8,
          uploadThroughput: t.uploadKbps === null ? -1 : (t.uploadKbps * 1024) / 8,
        })
      }
      if (t.cpuSlowdown > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: t.cpuSlowdown })
    }
    await page.addInitScript(OBSERVE)
    let response
    try {
      response = await page.goto(o.url, { waitUntil: 'load', timeout: o.timeoutMs })
    } catch (e) {
      return { metrics: null, error: `could not load ${o.url}: ${String((e as Error).message).split('\n')[0]}`, consoleErrors, failedRequests }
    }
    if (o.settleMs > 0) await page.waitForTimeout(o.settleMs)
    const read = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]
      const g = (window as unknown as { __golive?: { lcp: number | null; lcpElement: string | null; shifts: [number, number][] } }).__golive
      return {
        ttfb: n ? n.responseStart : null,
        dcl: n && n.domContentLoadedEventEnd > 0 ? n.domContentLoadedEventEnd : null,
        load: n && n.loadEventEnd > 0 ? n.loadEventEnd : null,
        fcp: fcp ? fcp.startTime : null,
        lcp: g ? g.lcp : null,
        lcpElement: g ? g.lcpElement : null,
        shifts: g ? g.shifts : [],
      }
    })
    const status = response?.status() ?? null
    const resources = assets ? await assets.finish(page) : undefined
    return {
      metrics: {
        ttfb_ms: read.ttfb,
        fcp_ms: read.fcp,
        lcp_ms: read.lcp,
        cls: cumulativeLayoutShift(read.shifts),
        dcl_ms: read.dcl,
        load_ms: read.load,
        bytes,
        requests,
        console_errors: consoleCount,
        failed_requests: failedCount,
      },
      ...(status !== null && status >= 400 ? { error: `${o.url} answered HTTP ${status}` } : {}),
      lcpElement: read.lcpElement,
      consoleErrors,
      failedRequests,
      ...(resources ? { resources } : {}),
    }
  } finally {
    await context.close().catch(() => {})
  }
}
