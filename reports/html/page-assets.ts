// The page-load check's asset audit in report.html: each resource that needs a fix, with the
// problem and the fix, then (folded) every resource the page fetched with what Chromium reported.
// Works from results.json's evidence alone; every URL and header value is target text: escaped.
// No longer drawn by report.html: page-load now emits its asset audit as details
// (checks/page-load/details.ts), rendered by kind. Kept only for test/unit/reports-html-page-assets;
// delete both once that test's cases move to the details.

import { formatValue } from '../../core/units.js'
import { clip, esc, isRecord, table } from './text.js'

const KIND_LABEL: Record<string, string> = { cache: 'cache lifetime', compression: 'compression', http1: 'HTTP/1', 'render-blocking': 'render-blocking' }

function list(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isRecord) : []
}

const bytes = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? esc(formatValue(v, 'B')) : '—')

/** The audit of one page (evidence.pages[].assets), or '' when the page has none. */
export function pageAssetsDetail(page: Record<string, unknown>): string {
  const a = page.assets
  if (!isRecord(a)) return ''
  const c = isRecord(a.counts) ? a.counts : {}
  const out: string[] = [
    `<h5>Assets</h5><p class="muted">run ${esc(a.run ?? '?')}: ${esc(c.requests ?? '?')} requests, ${bytes(c.bytes_total)} on the wire (images ${bytes(c.image_bytes)}); ` +
      `${esc(c.uncached ?? '?')} static files without a long enough cache lifetime, ${esc(c.uncompressed ?? '?')} text responses uncompressed, ` +
      `${esc(c.http1_requests ?? '?')} over HTTP/1, ${esc(c.render_blocking ?? '?')} render-blocking, ${esc(c.cdn ?? '?')} of ${esc(c.static ?? '?')} static files with a CDN signal</p>`,
  ]
  const findings = list(a.findings)
  out.push(
    findings.length
      ? table(
          ['resource', 'type', 'problem', 'fix'],
          findings.map((f) => [
            `<code class="target-text">${clip(f.url, 300)}</code>`,
            esc(f.type),
            `<span class="tag warn">${esc(KIND_LABEL[String(f.kind)] ?? f.kind)}</span> <span class="target-text">${clip(f.problem, 400)}</span>`,
            `<span class="target-text">${clip(f.fix, 400)}</span>`,
          ]),
          'assets',
        )
      : '<p class="ok">No asset needs a fix.</p>',
  )
  const resources = list(a.resources)
  if (resources.length) {
    out.push(
      `<details><summary>Every resource (${resources.length})</summary>`,
      table(
        ['resource', 'type', 'status', 'protocol', 'bytes', 'Cache-Control', 'encoding', 'CDN'],
        resources.map((r) => [
          `<code class="target-text">${clip(r.url, 300)}</code>${r.hashed ? ' <span class="muted">(hashed)</span>' : ''}` +
            `${r.fromCache ? ' <span class="muted">(from cache)</span>' : ''}${r.renderBlocking ? ' <span class="tag warn">blocking</span>' : ''}`,
          esc(r.type),
          esc(r.status),
          `<span class="${/^http\/1/i.test(String(r.protocol)) ? 'bad' : ''}">${clip(r.protocol, 40)}</span>`,
          bytes(r.transferBytes),
          `<code class="target-text">${clip(r.cacheControl ?? '', 200)}</code>`,
          `<span class="target-text">${clip(r.encoding ?? '', 60)}</span>`,
          `<span class="target-text">${
            isRecord(r.cdn)
              ? clip(
                  Object.entries(r.cdn)
                    .map(([k, v]) => `${k}: ${String(v)}`)
                    .join('; '),
                  200,
                )
              : ''
          }</span>`,
        ]),
      ),
      '</details>',
    )
  }
  return out.join('\n')
}
