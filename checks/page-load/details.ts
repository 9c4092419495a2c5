// What report.html and report.md show of the page-load check, as typed details: per page the
// metrics (median, worst, the gate on each), every run's timings, the asset audit, console
// errors and failed requests. Built from the check's own data, beside its evidence.

import type { Detail } from '../../core/results.js'
import { headings, kvDetail, listDetail, tableDetail } from '../../core/details.js'
import type { AssetAudit } from './assets.js'
import type { RunMetrics } from './stats.js'

/** The metrics in the order people read them, with the unit each carries. */
const PAGE_METRICS: { key: keyof RunMetrics; label: string; unit: 'ms' | 'bytes' | 'count' | 'number' }[] = [
  { key: 'ttfb_ms', label: 'TTFB', unit: 'ms' },
  { key: 'fcp_ms', label: 'FCP', unit: 'ms' },
  { key: 'lcp_ms', label: 'LCP', unit: 'ms' },
  { key: 'cls', label: 'CLS', unit: 'number' },
  { key: 'dcl_ms', label: 'DOMContentLoaded', unit: 'ms' },
  { key: 'load_ms', label: 'load', unit: 'ms' },
  { key: 'bytes', label: 'bytes', unit: 'bytes' },
  { key: 'requests', label: 'requests', unit: 'count' },
  { key: 'console_errors', label: 'console errors', unit: 'count' },
  { key: 'failed_requests', label: 'failed requests', unit: 'count' },
]

const KIND_LABEL: Record<string, string> = { cache: 'cache lifetime', compression: 'compression', http1: 'HTTP/1', 'render-blocking': 'render-blocking' }

export interface PageDetailInput {
  name: string
  url: string
  median: Partial<Record<string, number | null>>
  worst: Partial<Record<string, number | null>>
  runs: (Partial<RunMetrics> & { error?: string })[]
  consoleErrors: string[]
  failedRequests: { url: string; error: string }[]
  audit: { audit: AssetAudit; run: number } | null
}

export function pageLoadDetails(info: { version: string; runsPerPage: number; throttling: string | null }, pages: PageDetailInput[]): Detail[] {
  const out: Detail[] = [
    kvDetail([
      { label: 'browser', value: info.version },
      { label: 'runs per page, each in a fresh browser context', value: info.runsPerPage, unit: 'count' },
      { label: 'throttling', value: info.throttling ?? 'none' },
    ]),
  ]
  for (const [p, page] of pages.entries()) {
    out.push(
      tableDetail(
        [
          ...headings(['metric', 'metric']),
          { key: 'median', label: 'median', unitKey: 'unit' },
          { key: 'worst', label: 'worst', unitKey: 'unit' },
          { key: 'gate', label: 'target', unit: 'figure' },
        ],
        PAGE_METRICS.map((m) => ({
          metric: m.label,
          unit: m.unit,
          median: page.median[m.key] ?? null,
          worst: page.worst[m.key] ?? null,
          gate: `page-load.page.${page.name}.${m.key}`,
        })),
        { title: `Page ${page.name}: ${page.url}` },
      ),
    )
    if (page.runs.length > 0) {
      out.push(
        tableDetail(
          headings(
            ['run', 'run', 'count'],
            ['ttfb_ms', 'TTFB', 'ms'],
            ['fcp_ms', 'FCP', 'ms'],
            ['lcp_ms', 'LCP', 'ms'],
            ['dcl_ms', 'DOMContentLoaded', 'ms'],
            ['load_ms', 'load', 'ms'],
            ['cls', 'CLS', 'number'],
            ['error', 'error', 'text'],
          ),
          page.runs.map((r, i) => ({
            run: i + 1,
            ttfb_ms: r.ttfb_ms,
            fcp_ms: r.fcp_ms,
            lcp_ms: r.lcp_ms,
            dcl_ms: r.dcl_ms,
            load_ms: r.load_ms,
            cls: r.cls,
            error: r.error ?? '',
          })),
          {
            title: `Timings of each run, ${page.name}`,
            name: `page${p}`,
            chart: {
              kind: 'points',
              title: `Timings of each run, ${page.name}`,
              xLabel: 'run',
              yLabel: 'ms',
              series: ['ttfb_ms', 'fcp_ms', 'lcp_ms', 'dcl_ms', 'load_ms'].map((key) => ({ key })),
              targets: [
                { figure: `page-load.page.${page.name}.lcp_ms`, label: 'LCP target' },
                { figure: `page-load.page.${page.name}.load_ms`, label: 'load target' },
              ],
            },
          },
        ),
      )
    }
    if (page.audit) out.push(...assetDetails(page.name, page.audit.audit, page.audit.run))
    if (page.consoleErrors.length) out.push(listDetail(page.consoleErrors.slice(0, 20), `Console errors, ${page.name}`))
    if (page.failedRequests.length) {
      out.push(
        tableDetail(headings(['url', 'url', 'url'], ['error', 'error', 'text']), page.failedRequests.slice(0, 20), { title: `Failed requests, ${page.name}` }),
      )
    }
  }
  return out
}

function assetDetails(page: string, a: AssetAudit, run: number): Detail[] {
  const c = a.counts
  const out: Detail[] = [
    kvDetail(
      [
        { label: 'run audited', value: run, unit: 'count' },
        { label: 'requests', value: c.requests, unit: 'count' },
        { label: 'on the wire', value: c.bytes_total, unit: 'bytes' },
        { label: 'images', value: c.image_bytes, unit: 'bytes' },
        { label: 'static files without a long enough cache lifetime', value: c.uncached, unit: 'count' },
        { label: 'text responses uncompressed', value: c.uncompressed, unit: 'count' },
        { label: 'over HTTP/1', value: c.http1_requests, unit: 'count' },
        { label: 'render-blocking', value: c.render_blocking, unit: 'count' },
        { label: `static files with a CDN signal (of ${c.static})`, value: c.cdn, unit: 'count' },
      ],
      `Assets, ${page}`,
    ),
  ]
  out.push(
    tableDetail(
      headings(['url', 'resource', 'url'], ['type', 'type'], ['kind', 'problem'], ['problem', 'what', 'text'], ['fix', 'fix', 'text']),
      a.findings.slice(0, 200).map((f) => ({ url: f.url, type: f.type, kind: KIND_LABEL[f.kind] ?? f.kind, problem: f.problem, fix: f.fix })),
      { title: `Assets to fix, ${page}`, name: 'assets', ...(a.findings.length ? {} : { note: 'No asset needs a fix.' }) },
    ),
  )
  if (a.resources.length) {
    out.push(
      tableDetail(
        headings(
          ['url', 'resource', 'url'],
          ['type', 'type'],
          ['status', 'status', 'count'],
          ['protocol', 'protocol'],
          ['transferBytes', 'bytes', 'bytes'],
          ['cacheControl', 'Cache-Control', 'code'],
          ['encoding', 'encoding'],
          ['hashed', 'hashed', 'bool'],
          ['renderBlocking', 'blocking', 'bool'],
          ['fromCache', 'from cache', 'bool'],
          ['cdn', 'CDN', 'text'],
        ),
        a.resources.slice(0, 200).map((r) => ({
          url: r.url,
          type: r.type,
          status: r.status,
          protocol: r.protocol,
          transferBytes: r.transferBytes,
          cacheControl: r.cacheControl ?? '',
          encoding: r.encoding ?? '',
          hashed: r.hashed,
          renderBlocking: r.renderBlocking,
          fromCache: r.fromCache,
          cdn: r.cdn
            ? Object.entries(r.cdn)
                .map(([k, v]) => `${k}: ${String(v)}`)
                .join('; ')
            : '',
        })),
        { title: `Every resource, ${page} (${a.resources.length})`, folded: true },
      ),
    )
  }
  return out
}
