// The asset audit's pure function (collected responses → findings and counts): the edge cases
// a live page rarely shows all at once.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { assetFigures, auditAssets, cacheLifetime, isHashedName, type CollectedResource } from '../../checks/page-load/assets.js'

const NOW = Date.parse('2026-12-03T09:00:00Z')
const res = (o: Partial<CollectedResource> & { url: string }): CollectedResource => ({
  type: 'Script',
  status: 200,
  protocol: 'h2',
  mimeType: 'application/javascript',
  headers: {},
  transferBytes: 500,
  bodyBytes: 500,
  fromCache: false,
  renderBlocking: false,
  receivedAt: NOW,
  ...o,
})
const kinds = (rs: CollectedResource[]) => auditAssets(rs).findings.map((f) => `${f.kind} ${new URL(f.url).pathname}`)

test('hashed names: what counts as a content hash, and what does not', () => {
  for (const u of [
    '/app.3f9a1c2b.js',
    '/main.8e7a0c1d2b3f4a5b.chunk.js',
    '/index-BxK3d9Qa.js',
    '/3f9a1c2b7d.css',
    '/lib.js?v=5e8d2a91c4',
    '/fonts/inter-Ab12Cd34.woff2',
  ])
    assert.ok(isHashedName(`https://h${u}`), `${u} is hashed`)
  for (const u of [
    '/app.js',
    '/jquery-3.7.1.min.js',
    '/html5shiv.js',
    '/Inter-VariableFont.ttf',
    '/report-20240101.css',
    '/deadbeefcafe.js',
    '/lib.js?v=3',
    '/bundle',
  ]) {
    assert.ok(!isHashedName(`https://h${u}`), `${u} is not hashed`)
  }
})

test('cache lifetime: max-age wins, no-store/no-cache are 0, Expires against Date, nothing said is null', () => {
  assert.equal(cacheLifetime({ 'cache-control': 'public, max-age=31536000, immutable' }, NOW).seconds, 31_536_000)
  assert.equal(cacheLifetime({ 'cache-control': 'max-age=600', expires: 'Thu, 01 Jan 2099 00:00:00 GMT' }, NOW).seconds, 600)
  assert.equal(cacheLifetime({ 'cache-control': 'no-store, max-age=600' }, NOW).seconds, 0)
  assert.equal(cacheLifetime({ 'cache-control': 'no-cache' }, NOW).seconds, 0)
  assert.equal(cacheLifetime({ pragma: 'no-cache' }, NOW).seconds, 0)
  assert.equal(cacheLifetime({ expires: 'Thu, 10 Dec 2026 09:00:00 GMT', date: 'Thu, 03 Dec 2026 09:00:00 GMT' }, 0).seconds, 7 * 86_400)
  // no Date: the clock of arrival
  assert.equal(cacheLifetime({ expires: 'Thu, 03 Dec 2026 10:00:00 GMT' }, NOW).seconds, 3600)
  assert.equal(cacheLifetime({ expires: '0' }, NOW).seconds, 0)
  assert.equal(cacheLifetime({ 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT', etag: '"x"' }, NOW).seconds, null)
})

test('no-store HTML, API JSON and redirects are never cache findings; static files are, by hashed name', () => {
  const year = 'public, max-age=31536000'
  assert.deepEqual(
    kinds([
      res({ url: 'https://h/', type: 'Document', mimeType: 'text/html', headers: { 'cache-control': 'no-store' } }),
      res({ url: 'https://h/api/cart', type: 'Fetch', mimeType: 'application/json', headers: { 'cache-control': 'private, no-store' } }),
      res({ url: 'https://h/old.css', type: 'Stylesheet', status: 301, headers: {} }),
      res({ url: 'https://h/app.3f9a1c2b.js', headers: { 'cache-control': year } }),
      res({ url: 'https://h/app.4f9a1c2b.js', headers: { 'cache-control': 'max-age=2592000, immutable' } }),
      res({ url: 'https://h/logo.png', type: 'Image', mimeType: 'image/png', headers: { 'cache-control': 'max-age=604800' } }),
    ]),
    [],
  )
  assert.deepEqual(
    kinds([
      // a hashed file with a day: too short for a name that never changes
      res({ url: 'https://h/app.3f9a1c2b.js', headers: { 'cache-control': 'max-age=86400' } }),
      // immutable with only a minute is not long-lived
      res({ url: 'https://h/app.5f9a1c2b.js', headers: { 'cache-control': 'max-age=60, immutable' } }),
      res({ url: 'https://h/app.js', headers: { 'cache-control': 'max-age=300' } }),
      res({ url: 'https://h/font.woff2', type: 'Font', mimeType: 'font/woff2', headers: {} }),
      res({ url: 'https://h/hero.png', type: 'Image', mimeType: 'image/png', headers: { 'cache-control': 'no-store' } }),
    ]),
    ['cache /app.3f9a1c2b.js', 'cache /app.5f9a1c2b.js', 'cache /app.js', 'cache /font.woff2', 'cache /hero.png'],
  )
  const [f] = auditAssets([res({ url: 'https://h/app.js', headers: { 'cache-control': 'max-age=300' } })]).findings
  assert.match(f!.problem, /max-age=300 \(300 s\): below 7 d for an unhashed file name/)
  assert.match(f!.fix, /content hash in its file name.*max-age=31536000, immutable/)
})

test('a 304 and a cache hit are not judged for caching or compression; a 304 still counts its protocol and bytes', () => {
  const a = auditAssets([
    res({ url: 'https://h/app.js', status: 304, protocol: 'http/1.1', headers: {}, bodyBytes: 0, transferBytes: 180 }),
    res({ url: 'https://h/big.js', fromCache: true, headers: {}, bodyBytes: 90_000, transferBytes: 0 }),
  ])
  assert.deepEqual(
    a.findings.map((f) => f.kind),
    ['http1'],
  )
  assert.equal(a.counts.uncached, 0)
  assert.equal(a.counts.uncompressed, 0)
  assert.equal(a.counts.requests, 1)
  assert.equal(a.counts.bytes_total, 180)
  assert.equal(a.resources.length, 2, 'the cache hit is still listed')
})

test('compression: text above 1400 B without gzip/br/zstd; small text, images and text that does not compress are fine', () => {
  const cc = { 'cache-control': 'max-age=604800' }
  assert.deepEqual(
    kinds([
      res({ url: 'https://h/small.js', bodyBytes: 1399, headers: cc }),
      res({ url: 'https://h/gz.js', bodyBytes: 50_000, headers: { ...cc, 'content-encoding': 'gzip' } }),
      res({ url: 'https://h/br.css', type: 'Stylesheet', mimeType: 'text/css', bodyBytes: 50_000, headers: { ...cc, 'content-encoding': 'br' } }),
      res({ url: 'https://h/zstd.json', type: 'Fetch', mimeType: 'application/json', bodyBytes: 50_000, headers: { 'content-encoding': 'zstd' } }),
      res({ url: 'https://h/photo.jpg', type: 'Image', mimeType: 'image/jpeg', bodyBytes: 500_000, headers: cc }),
      // already dense (gzip saves under 10 %): no finding
      res({ url: 'https://h/dense.js', bodyBytes: 10_000, gzipBytes: 9_500, headers: cc }),
      res({ url: 'https://h/range.txt', type: 'Media', mimeType: 'text/plain', status: 206, bodyBytes: 10_000, headers: cc }),
    ]),
    [],
  )
  const a = auditAssets([
    res({ url: 'https://h/', type: 'Document', mimeType: 'text/html; charset=utf-8', bodyBytes: 1400, headers: { 'cache-control': 'no-store' } }),
    res({
      url: 'https://h/api/items',
      type: 'XHR',
      mimeType: 'application/json',
      bodyBytes: 20_000,
      gzipBytes: 3_000,
      headers: { 'content-encoding': 'identity' },
    }),
    res({ url: 'https://h/logo.svg', type: 'Image', mimeType: 'image/svg+xml', bodyBytes: 4_000, headers: cc }),
  ])
  assert.deepEqual(
    a.findings.map((f) => `${f.kind} ${new URL(f.url).pathname}`),
    ['compression /', 'compression /api/items', 'compression /logo.svg'],
  )
  assert.equal(a.counts.uncompressed, 3)
  assert.match(a.findings[1]!.problem, /20000 B of application\/json sent uncompressed \(gzip: 3000 B, 85 % less\)/)
})

test('HTTP/1 counted by the protocol Chromium reports (h2 and h3 are fine); image bytes, render-blocking, CDN signals', () => {
  const cc = { 'cache-control': 'max-age=604800' }
  const a = auditAssets([
    res({ url: 'https://h/', type: 'Document', mimeType: 'text/html', protocol: 'h2', transferBytes: 900 }),
    res({
      url: 'https://h/a.css',
      type: 'Stylesheet',
      mimeType: 'text/css',
      protocol: 'h3',
      renderBlocking: true,
      headers: { ...cc, age: '120', 'x-cache': 'Hit from cloudfront', via: '1.1 abc.cloudfront.net (CloudFront)' },
      transferBytes: 300,
    }),
    res({ url: 'https://h/sync.js', protocol: 'http/1.1', renderBlocking: true, headers: { ...cc, 'cf-cache-status': 'HIT' }, transferBytes: 200 }),
    res({ url: 'https://cdn.example/p.png', type: 'Image', mimeType: 'image/png', protocol: 'http/1.0', headers: cc, transferBytes: 40_000 }),
    res({ url: 'https://cdn.example/q.webp', type: 'Image', mimeType: 'image/webp', protocol: 'h2', headers: cc, transferBytes: 10_000 }),
  ])
  assert.equal(a.counts.http1_requests, 2)
  assert.equal(a.counts.image_bytes, 50_000)
  assert.equal(a.counts.bytes_total, 51_400)
  assert.equal(a.counts.render_blocking, 2)
  assert.equal(a.counts.cdn, 2)
  assert.equal(a.counts.static, 4)
  assert.deepEqual(a.resources.find((r) => r.url.endsWith('a.css'))!.cdn, {
    age: '120',
    via: '1.1 abc.cloudfront.net (CloudFront)',
    'x-cache': 'Hit from cloudfront',
  })
  // only the script is a render-blocking finding: a stylesheet in <head> is how CSS works
  assert.deepEqual(
    a.findings.map((f) => `${f.kind} ${f.url}`),
    ['render-blocking https://h/sync.js', 'http1 https://h/sync.js', 'http1 https://cdn.example/p.png'],
  )
  assert.match(a.findings[2]!.fix, /serve https:\/\/cdn\.example over HTTP\/2/)

  const figures = assetFigures('home', a)
  assert.deepEqual(figures['page.home.assets.bytes_total'], { value: 51_400, unit: 'B' })
  assert.deepEqual(figures['page.home.assets.image_bytes'], { value: 50_000, unit: 'B' })
  assert.deepEqual(figures['page.home.assets.http1_requests'], { value: 2, unit: 'count' })
  assert.deepEqual(
    Object.keys(figures).sort(),
    ['bytes_total', 'cdn', 'http1_requests', 'image_bytes', 'render_blocking', 'requests', 'static', 'uncached', 'uncompressed'].map(
      (k) => `page.home.assets.${k}`,
    ),
  )
})

test('an empty page load: every count is 0, no finding', () => {
  const a = auditAssets([])
  assert.deepEqual(Object.values(a.counts), [0, 0, 0, 0, 0, 0, 0, 0, 0])
  assert.deepEqual(a.findings, [])
})

test("the staging front page's static files are hashed by the audit's rule and served for a year, immutable", async () => {
  const { FRONT_ASSETS, FRONT_PAGE, STATIC_CACHE_CONTROL } = await import('../../staging/app/front-page.js')
  const paths = Object.keys(FRONT_ASSETS)
  assert.equal(paths.length, 2)
  for (const p of paths) {
    assert.ok(isHashedName(`https://h${p}`), `${p}: the content hash has no digit or no letter; lengthen it`)
    assert.ok(FRONT_PAGE('x').includes(`"${p}"`))
  }
  assert.equal(cacheLifetime({ 'cache-control': STATIC_CACHE_CONTROL }, NOW).seconds, 31_536_000)
})
