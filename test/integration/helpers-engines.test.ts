// golive/helpers give the same bytes on both engines: the embedded build (node:crypto) and the
// k6 build (k6/crypto, k6/encoding), bundled the way a scenario's hooks are, run inside the real
// k6 binary on the same inputs (text with non-ASCII characters, bytes, every encoding).

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createHmac, createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildSync } from 'esbuild'
import * as helpers from '../../scenarios/helpers.js'
import { k6Aliases } from '../../scenarios/engines/k6/bundle-code.js'
import { findK6 } from '../../scenarios/engines/k6/index.js'
import { packageRoot } from '../../core/package-root.js'

// the same program on both engines: every helper on fixed inputs, plus the shapes of the random ones
const PROGRAM = `
const text = 'héllo ✓ — 𝄞 signed', key = 'k€y-1'
const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255])
export function vectors(h) {
  const out = {}
  for (const enc of ['hex', 'base64', 'base64url']) {
    out['sha256 text ' + enc] = h.sha256(text, enc)
    out['sha256 bytes ' + enc] = h.sha256(bytes, enc)
    out['hmac text ' + enc] = h.hmacSha256(key, text, enc)
    out['hmac bytes ' + enc] = h.hmacSha256(bytes, bytes, enc)
  }
  out['sha256 default'] = h.sha256('')
  out['base64 text'] = h.base64Encode(text)
  out['base64 text url'] = h.base64Encode(text, 'url')
  out['base64 bytes'] = h.base64Encode(bytes)
  out['base64 bytes url'] = h.base64Encode(bytes, 'url')
  out['decode'] = h.base64Decode(h.base64Encode(text))
  out['decode url'] = h.base64Decode(h.base64Encode(text, 'url'), 'url')
  const u = h.uuid()
  out['uuid v4'] = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u) && u !== h.uuid()
  let ok = true
  for (let i = 0; i < 200; i++) { const n = h.randomInt(3, 5); if (n < 3 || n > 5 || n !== Math.floor(n)) ok = false }
  out['randomInt in range'] = ok
  out['randomPick from list'] = ['a', 'b'].includes(h.randomPick(['a', 'b']))
  return out
}
`

test('golive/helpers: the k6 build gives the same bytes as the embedded build, which agrees with node:crypto', (t) => {
  let k6: string
  try {
    k6 = findK6()
  } catch (e) {
    if (process.env.CI) throw e
    return t.skip('k6 is not installed: npm run install-k6')
  }
  const work = mkdtempSync(join(tmpdir(), 'golive-helpers-'))
  try {
    writeFileSync(join(work, 'program.js'), PROGRAM)
    const mod = { exports: {} as { vectors?: (h: unknown) => Record<string, unknown> } }
    // the embedded side: the same program text, run on scenarios/helpers.ts
    new Function('module', PROGRAM.replace('export function vectors', 'module.exports.vectors = function vectors'))(mod)
    const embedded = mod.exports.vectors!(helpers)
    // independent of both: node:crypto directly, for a few of the figures
    const text = 'héllo ✓ — 𝄞 signed'
    assert.equal(embedded['hmac text hex'], createHmac('sha256', 'k€y-1').update(text, 'utf8').digest('hex'))
    assert.equal(embedded['sha256 text base64'], createHash('sha256').update(text, 'utf8').digest('base64'))
    assert.equal(embedded['sha256 default'], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')

    // the k6 side: bundled as a scenario's hooks are ('golive/helpers' → the k6 build)
    const entry =
      `import * as h from 'golive/helpers'\nimport { vectors } from ${JSON.stringify(join(work, 'program.js'))}\n` +
      'export default function () {}\nexport function handleSummary() { return { stdout: JSON.stringify(vectors(h)) } }\n'
    const out = buildSync({
      stdin: { contents: entry, resolveDir: packageRoot(), loader: 'js' },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      target: 'es2017',
      external: ['k6', 'k6/*'],
      alias: k6Aliases(),
      logLevel: 'silent',
    })
    const script = join(work, 'helpers.k6.js')
    writeFileSync(script, out.outputFiles[0]!.text)
    const run = spawnSync(k6, ['run', '--quiet', '--no-color', '--address', '', '--no-usage-report', '--iterations', '1', script], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, K6_NO_USAGE_REPORT: 'true' },
    })
    assert.equal(run.status, 0, run.stderr)
    const fromK6 = JSON.parse(run.stdout.trim()) as Record<string, unknown>
    t.diagnostic(`${Object.keys(fromK6).length} figures compared; hmac text hex ${String(fromK6['hmac text hex'])}`)
    assert.deepEqual(fromK6, embedded)
    for (const k of ['uuid v4', 'randomInt in range', 'randomPick from list', 'decode', 'decode url']) assert.ok(embedded[k], k)
    assert.equal(embedded.decode, text)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
})
