// `page-load`: how the page feels in a real browser. For each configured page, N loads (default
// 3) in Debian's Chromium driven by playwright-core, each in a fresh context: TTFB, FCP, LCP,
// CLS, DOMContentLoaded, load, transferred bytes, requests, console errors and failed requests;
// the figures are the median and the worst over the runs. Gates judge (LCP < 2.5 s, ...).
// No browser is ever downloaded: Chromium comes from the system (apt-get install chromium).

import type { Browser } from 'playwright-core'
import { resultClock, targetOf, type Check, type CheckContext, type FigureDeclaration } from '../core/check.js'
import type { CheckTarget } from '../core/target.js'
import type { CheckResult, Figure } from '../core/results.js'
import { loadOnce, type RunOutcome } from './page-load/browser.js'
import { PAGE_LOAD_SETTINGS, readSettings, type PageLoadSettings } from './page-load/settings.js'
import { METRICS, pageFigures, summarizeRuns, type RunMetrics } from './page-load/stats.js'
import { ASSET_COUNTS, assetEvidence, assetFigures, auditAssets } from './page-load/assets.js'
import { pageLoadDetails, type PageDetailInput } from './page-load/details.js'

export const pageLoad: Check = {
  id: 'page-load',
  title: 'Page load in a real browser (Chromium)',
  group: 'User experience',
  requires: ['baseUrl'],
  settings: PAGE_LOAD_SETTINGS,
  figures: [
    ...METRICS.flatMap((m): FigureDeclaration[] => {
      const unit = m.unit ? { unit: m.unit } : {}
      return [
        { name: `page.<page>.${m.key}`, ...unit, meaning: `${m.key}: the median over the runs` },
        { name: `page.<page>.${m.key}_worst`, ...unit, meaning: `${m.key}: the highest over the runs` },
      ]
    }),
    { name: 'page.<page>.runs', unit: 'count', meaning: 'runs that measured the page' },
    ...ASSET_COUNTS.map(
      (k): FigureDeclaration => ({
        name: `page.<page>.assets.${k}`,
        unit: k.endsWith('bytes') || k === 'bytes_total' ? 'B' : 'count',
        meaning: `assets of the first run: ${k.replace(/_/g, ' ')}`,
      }),
    ),
  ],
  async run(ctx: CheckContext): Promise<CheckResult> {
    const result = resultClock(pageLoad)
    const fail = (reason: string, evidence: unknown = null): CheckResult => result({ status: 'error', reason, figures: {}, evidence })

    let settings: PageLoadSettings
    try {
      settings = readSettings(ctx.settings, ctx.env.baseUrl)
    } catch (e) {
      return fail(`${(e as Error).message} (environments.${ctx.envName}.checks.page-load)`)
    }
    // the environment's headers and auth ride to its own origin only (the browser's route filter)
    let target: CheckTarget | undefined
    try {
      target = targetOf(ctx)
    } catch (e) {
      return fail((e as Error).message)
    }
    const privateCa = Boolean(target?.ca ?? ctx.env.ca)

    let browser: Browser
    try {
      const { chromium } = await import('playwright-core')
      browser = await chromium.launch({
        executablePath: settings.executablePath,
        headless: true,
        // Chromium's sandbox needs user namespaces, which root (containers, CI) does not get
        args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
        timeout: 30_000,
      })
    } catch (e) {
      return fail(
        `could not start Chromium at ${settings.executablePath} (${String((e as Error).message).split('\n')[0]}): install it (apt-get install chromium) ` +
          'or set checks.page-load.executablePath (or GOLIVE_CHROMIUM) to a Chromium binary',
      )
    }
    const onAbort = () => {
      browser.close().catch(() => {})
    }
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    const figures: Record<string, Figure> = {}
    const pages: Record<string, unknown>[] = []
    const shown: PageDetailInput[] = []
    try {
      const headers = target?.headers ?? {}
      for (const page of settings.pages) {
        const outcomes: RunOutcome[] = []
        for (let i = 0; i < settings.runs && !ctx.signal.aborted; i++) {
          try {
            outcomes.push(
              await loadOnce(browser, {
                url: page.url,
                timeoutMs: settings.timeoutMs,
                settleMs: settings.settleMs,
                viewport: settings.viewport,
                throttling: settings.throttling,
                headers,
                ignoreHttpsErrors: privateCa,
                // every run starts cold, so the first run that loads is the one the asset audit reads
                collectAssets: !outcomes.some((o) => o.resources && !o.error),
                ...(target ? { policy: target.policy } : {}),
              }),
            )
          } catch (e) {
            if (ctx.signal.aborted) break
            outcomes.push({ metrics: null, error: String((e as Error).message).split('\n')[0], consoleErrors: [], failedRequests: [] })
          }
        }
        // a run whose page answered an error status measured an error page: not the page
        const good = outcomes.filter((o) => o.metrics && !o.error).map((o) => o.metrics!)
        Object.assign(figures, pageFigures(page.name, good))
        const { median, worst, samples } = summarizeRuns(good)
        const errors = outcomes.filter((o) => o.error).map((o) => o.error!)
        const audited = outcomes.findIndex((o) => o.resources && o.metrics && !o.error)
        const audit = audited >= 0 ? auditAssets(outcomes[audited]!.resources!) : null
        if (audit) Object.assign(figures, assetFigures(page.name, audit))
        const runs = outcomes.map((o) => ({ ...roundMetrics(o.metrics), ...(o.error ? { error: o.error } : {}), lcpElement: o.lcpElement ?? null }))
        const consoleErrors = [...new Set(outcomes.flatMap((o) => o.consoleErrors))].slice(0, 50)
        const failedRequests = dedupe(outcomes.flatMap((o) => o.failedRequests)).slice(0, 50)
        shown.push({ name: page.name, url: page.url, median, worst, runs, consoleErrors, failedRequests, audit: audit ? { audit, run: audited + 1 } : null })
        pages.push({
          name: page.name,
          url: page.url,
          median,
          worst,
          samples,
          runs,
          consoleErrors,
          failedRequests,
          ...(errors.length ? { errors } : {}),
          ...(audit ? { assets: assetEvidence(audit, audited + 1) } : {}),
        })
        ctx.log(`page-load: ${page.name}: LCP ${median.lcp_ms ?? '—'} ms, load ${median.load_ms ?? '—'} ms (median of ${good.length})`)
      }
      const version = browser.version()
      const evidence = {
        browser: { executable: settings.executablePath, version: `Chromium ${version}` },
        runsPerPage: settings.runs,
        throttling: settings.throttling,
        viewport: settings.viewport,
        pages,
        notes: [
          'each run is a fresh browser context (empty cache); figures are the median over the runs, *_worst the highest',
          "times are from navigation start, as the page's performance timeline reports them; CLS is the largest session window",
          'assets: the first run that loaded, every response as Chromium reported it (protocol, headers, bytes); see docs/checks/page-load.md for the rules',
          ...(privateCa ? ['the target uses a private CA: certificate errors were ignored in the browser (the tls check judges trust)'] : []),
        ],
      }
      const details = pageLoadDetails({ version: `Chromium ${version}`, runsPerPage: settings.runs, throttling: settings.throttling?.name ?? null }, shown)
      if (ctx.signal.aborted) return result({ status: 'error', reason: 'interrupted: the page loads did not finish', figures: {}, evidence, details })
      // a page no run could measure has no figures, and a wildcard gate would not see it missing:
      // the whole check is an error then (its gates read ERROR), keeping the other pages' figures
      const unmeasured = pages.filter((p) => (p.runs as unknown[]).length === ((p.errors as unknown[] | undefined)?.length ?? 0))
      if (unmeasured.length > 0) {
        const first = (unmeasured[0]!.errors as string[] | undefined)?.[0] ?? `page ${String(unmeasured[0]!.name)} did not load`
        const more = unmeasured.length > 1 ? ` (and ${unmeasured.length - 1} more page${unmeasured.length > 2 ? 's' : ''})` : ''
        return result({
          status: 'error',
          reason: `page ${String(unmeasured[0]!.name)}: ${first}${more}: check that the page answers, or fix checks.page-load.pages`,
          figures,
          evidence,
          details,
        })
      }
      return result({ status: 'measured', figures, evidence, details })
    } finally {
      ctx.signal.removeEventListener('abort', onAbort)
      await browser.close().catch(() => {})
    }
  },
}

export type { RunMetrics }

/** A run's metrics as results.json keeps them: times to 0.1 ms, CLS to 4 digits. */
function roundMetrics(m: RunMetrics | null): Partial<RunMetrics> {
  if (!m) return {}
  const r = (v: number | null, d: number) => (v === null ? null : Math.round(v * 10 ** d) / 10 ** d)
  return { ...m, ttfb_ms: r(m.ttfb_ms, 1), fcp_ms: r(m.fcp_ms, 1), lcp_ms: r(m.lcp_ms, 1), cls: r(m.cls, 4), dcl_ms: r(m.dcl_ms, 1), load_ms: r(m.load_ms, 1) }
}

function dedupe(list: { url: string; error: string }[]): { url: string; error: string }[] {
  const seen = new Set<string>()
  return list.filter((f) => {
    const k = `${f.url} ${f.error}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}
