// The asset audit's table in report.html: each finding with its fix, and target text (URLs,
// header values, the fix text from evidence) escaped, from results.json's evidence alone.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pageAssetsDetail } from '../../reports/html/page-assets.js'
import { auditAssets, assetEvidence } from '../../checks/page-load/assets.js'

const HOSTILE = '/<img src=x onerror=alert(1)>.js'

test('report.html lists each failing resource with its problem and fix, every target string escaped', () => {
  const audit = auditAssets([
    {
      url: `http://h${HOSTILE}`,
      type: 'Script',
      status: 200,
      protocol: 'http/1.1',
      mimeType: 'application/javascript',
      headers: { 'cache-control': 'max-age=60', via: '<b>edge</b>' },
      transferBytes: 5000,
      bodyBytes: 5000,
      fromCache: false,
      renderBlocking: true,
      receivedAt: 0,
    },
    {
      url: 'http://h/ok.3f9a1c2b.css',
      type: 'Stylesheet',
      status: 200,
      protocol: 'h2',
      mimeType: 'text/css',
      headers: { 'cache-control': 'max-age=31536000, immutable', 'content-encoding': 'br' },
      transferBytes: 900,
      bodyBytes: 4000,
      fromCache: false,
      renderBlocking: false,
      receivedAt: 0,
    },
  ])
  const out = pageAssetsDetail({ assets: JSON.parse(JSON.stringify(assetEvidence(audit, 1))) })
  assert.doesNotMatch(out, /<img|<b>/)
  assert.ok(out.includes('&lt;img src=x onerror=alert(1)&gt;'))
  assert.ok(out.includes('via: &lt;b&gt;edge&lt;/b&gt;'))
  // the findings table: four for the script (render-blocking, cache, compression, HTTP/1), none for the stylesheet
  const findings = /<table class="assets">[\s\S]*?<\/table>/.exec(out)![0]
  assert.equal(findings.match(/<tr>/g)!.length, 1 + 4)
  for (const label of ['cache lifetime', 'compression', 'HTTP/1', 'render-blocking']) assert.ok(findings.includes(label), label)
  assert.ok(!findings.includes('ok.3f9a1c2b.css'))
  assert.match(findings, /add defer/)
  assert.match(findings, /max-age=31536000, immutable/)
  // every resource, folded, the hashed one marked
  assert.match(out, /<summary>Every resource \(2\)<\/summary>/)
  assert.match(out, /ok\.3f9a1c2b\.css<\/code> <span class="muted">\(hashed\)<\/span>/)
})

test('a page with nothing to fix says so; a page without an audit renders nothing', () => {
  assert.match(pageAssetsDetail({ assets: assetEvidence(auditAssets([]), 1) }), /No asset needs a fix/)
  assert.equal(pageAssetsDetail({ name: 'home' }), '')
})
