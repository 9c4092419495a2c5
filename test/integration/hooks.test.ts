// Logic in a scenario on both engines against a truth server that checks and counts (issue 17,
// items 4 and 5): an HMAC signature computed by a TypeScript hook (a relative module importing
// golive/helpers) verified on every signed request; forEach over a captured list requests each
// element exactly once per journey; a false `when` sends nothing and a true one sends; repeat: 3
// sends 3; hooks that throw are failed checks with their messages; and bad input exits 2.

import { test, before, after, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ScenarioResult } from '../../core/results.js'
import { compileScenario } from '../../scenarios/compile.js'
import { findScenario } from '../../scenarios/registry.js'
import { EmbeddedRun } from '../../scenarios/engines/embedded/run.js'
import { K6Run, findK6 } from '../../scenarios/engines/k6/index.js'
import { golive } from '../support/cli.js'

const FIX = fileURLToPath(new URL('../fixtures/hooks/', import.meta.url))
const KEY = 'truth-key-7f3a'
const ITEMS = [{ id: 'a1' }, { id: 'b2' }, { id: 'c3' }]
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

interface Truth {
  server: Server
  url: string
  counts: Map<string, number>
  good: number
  bad: string[]
  orders: Set<string>
  close: () => Promise<void>
}

/** Verifies the signature of every signed path (HMAC-SHA256 of method, path and body, with the
 *  key the scenario holds), checks each order's body, and counts every path it serves. */
async function startTruth(): Promise<Truth> {
  const t = { counts: new Map<string, number>(), good: 0, bad: [] as string[], orders: new Set<string>() } as Truth
  t.server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => {
      body += d.toString('utf8')
    })
    req.on('end', () => {
      const path = req.url ?? ''
      t.counts.set(`${req.method} ${path}`, (t.counts.get(`${req.method} ${path}`) ?? 0) + 1)
      const signed = /^\/items\/|^\/orders$|^\/checkout\/(?!empty)/.test(path)
      if (signed) {
        const want = createHmac('sha256', KEY).update(`${req.method}\n${path}\n${body}`).digest('hex')
        if (req.headers['x-signature'] === want) t.good++
        else t.bad.push(`${req.method} ${path}: ${String(req.headers['x-signature'])}`)
      }
      const json = (v: unknown) => {
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify(v))
      }
      if (path === '/items') return json({ items: ITEMS })
      if (path === '/orders') {
        const o = JSON.parse(body) as { id: string; qty: number; note: string; ttl: number }
        // the helpers' bytes: a v4 uuid, a whole number in [1, 5], base64 of UTF-8 text, ms('2h')
        const ok =
          UUID.test(o.id) &&
          Number.isInteger(o.qty) &&
          o.qty >= 1 &&
          o.qty <= 5 &&
          Buffer.from(o.note, 'base64').toString('utf8') === 'héllo ✓' &&
          o.ttl === 7_200_000
        if (!ok) t.bad.push(`order body ${body}`)
        t.orders.add(o.id)
        return json({ id: o.id })
      }
      if (path === '/cart') return json({ size: 0 })
      if (path === '/cart?full=1') return json({ size: 2 })
      if (path.startsWith('/checkout/') && path !== '/checkout/empty' && !t.orders.has(path.slice('/checkout/'.length)))
        t.bad.push(`checkout of an unknown order ${path}`)
      res.end('ok')
    })
  })
  await new Promise<void>((r) => t.server.listen(0, '127.0.0.1', r))
  t.url = `http://127.0.0.1:${(t.server.address() as { port: number }).port}`
  t.close = () => new Promise<void>((r) => t.server.close(() => r()))
  return t
}

let k6: string | null = null
let work: string
before(() => {
  work = mkdtempSync(join(tmpdir(), 'golive-hooks-'))
  try {
    k6 = findK6()
  } catch (e) {
    if (process.env.CI) throw new Error(`k6 is required under CI: ${(e as Error).message}`)
  }
})
after(() => rmSync(work, { recursive: true, force: true }))

const ITER = 6
const stepOf = (r: ScenarioResult, name: string) => r.steps.find((s) => s.name === name)!

test('hooks, forEach, when and repeat: the truth server sees the same requests from both engines, every signature good', async (t: TestContext) => {
  if (!k6) return t.skip('k6 is not installed: npm run install-k6')
  const src = await findScenario(join(FIX, 'signed.ts'), FIX)
  const plan = compileScenario(src.scenario, { file: src.file })
  const results: Record<string, ScenarioResult> = {}
  for (const engine of ['embedded', 'k6'] as const) {
    const truth = await startTruth()
    try {
      const target = { origin: truth.url, basePath: '', headers: [] as [string, string][] }
      const r =
        engine === 'k6'
          ? await new K6Run(plan, { target, runDir: mkdtempSync(join(work, 'k6-')), thresholds: {}, file: src.file }).run()
          : await new EmbeddedRun(plan, { target, workers: 2 }).run()
      assert.equal(r.status, 'measured', `${engine}: ${r.reason}`)
      assert.equal(r.iterations, ITER, `${engine}: journeys`)
      const c = (k: string) => truth.counts.get(k) ?? 0
      t.diagnostic(`${engine}: ${truth.good} good signatures, ${truth.bad.length} bad; counts ${JSON.stringify(Object.fromEntries(truth.counts))}`)
      assert.deepEqual(truth.bad, [], `${engine}: bad signatures or bodies`)
      // forEach: each element of the captured list exactly once per journey
      for (const { id } of ITEMS) assert.equal(c(`GET /items/${id}`), ITER, `${engine}: /items/${id}`)
      assert.equal(c('POST /orders'), ITER)
      assert.equal(truth.orders.size, ITER, `${engine}: one fresh uuid per order`)
      // when: false sends nothing, true sends (to the order id an after hook read from the response)
      assert.equal(c('GET /checkout/empty'), 0, `${engine}: when '{{cartSize}} > 0' with size 0`)
      assert.equal(
        [...truth.counts].filter(([k]) => k.startsWith('GET /checkout/') && k !== 'GET /checkout/empty').reduce((a, [, n]) => a + n, 0),
        ITER,
      )
      assert.equal(truth.good, ITER * ITEMS.length + ITER + ITER, `${engine}: every signed request verified`)
      // repeat: 3
      for (const i of [0, 1, 2]) assert.equal(c(`GET /ping/${i}`), ITER, `${engine}: /ping/${i}`)
      assert.equal(c('GET /ping/3'), 0)
      // a run step's variables reach the next request
      assert.equal(c(`GET /total/${ITEMS.length}`), ITER)
      // hooks that throw: failed checks of their steps, with their messages
      assert.equal(c('GET /boom'), ITER, 'an after hook runs after the request was sent')
      const boom = stepOf(r, 'boom'),
        run = stepOf(r, 'boom-run')
      assert.deepEqual([boom.requests, boom.errors, boom.checks.failed], [ITER, ITER, ITER], `${engine}: boom ${JSON.stringify(boom)}`)
      assert.deepEqual(
        [run.requests, run.errors, run.checks.failed, run.statuses],
        [ITER, ITER, ITER, { NOT_SENT: ITER }],
        `${engine}: boom-run ${JSON.stringify(run)}`,
      )
      const messages = r.topErrors.map((e) => `${e.step} ${e.kind} ${e.message} ×${e.count}`)
      assert.ok(messages.includes(`boom check after hook threw: the after hook says no ×${ITER}`), `${engine}: ${messages.join('; ')}`)
      assert.ok(messages.includes(`boom-run check run hook threw: the run step says no ×${ITER}`), `${engine}: ${messages.join('; ')}`)
      assert.equal(r.topErrors.length, 2, `${engine}: no other errors: ${messages.join('; ')}`)
      assert.equal(stepOf(r, 'count').requests, 0, 'a run step that works makes no request')
      results[engine] = r
    } finally {
      await truth.close()
    }
  }
  const counts = (r: ScenarioResult) => r.steps.map((s) => [s.name, s.requests, s.errors, s.statuses, s.checks.failed])
  assert.deepEqual(counts(results.k6!), counts(results.embedded!), 'per-step requests, errors, statuses and failed checks agree')
})

const flowTitle =
  "hooks in the flow: a before step's after hook, a setup run step, a group, a helper-importing run step, when and repeat in a weighted mix, " +
  'a teardown: the same server-side counts on both engines'
test(flowTitle, async (t: TestContext) => {
  if (!k6) return t.skip('k6 is not installed: npm run install-k6')
  const src = await findScenario(join(FIX, 'flow-hooks.ts'), FIX)
  const plan = compileScenario(src.scenario, { file: src.file })
  for (const engine of ['embedded', 'k6'] as const) {
    const counts = new Map<string, number>()
    const server = createServer((req, res) => {
      counts.set(req.url ?? '', (counts.get(req.url ?? '') ?? 0) + 1)
      if (req.url === '/token') {
        res.setHeader('content-type', 'application/json')
        return res.end('{"t":"abc"}')
      }
      res.end('ok')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const target = { origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`, basePath: '', headers: [] as [string, string][] }
      const r =
        engine === 'k6'
          ? await new K6Run(plan, { target, runDir: mkdtempSync(join(work, 'k6-')), thresholds: {}, file: src.file }).run()
          : await new EmbeddedRun(plan, { target, workers: 2 }).run()
      assert.equal(r.status, 'measured', `${engine}: ${r.reason}`)
      assert.equal(r.errors, 0, `${engine}: ${JSON.stringify(r.topErrors)}`)
      const seen = [...counts.keys()].sort()
      t.diagnostic(`${engine}: ${JSON.stringify(Object.fromEntries(counts))}`)
      assert.equal(counts.get('/token'), 1, `${engine}: the before step once per run`)
      // every journey a request carries the before hook's token and the setup run step's user
      const a = seen.filter((k) => k.startsWith('/a/'))
      assert.ok(a.length > 0 && a.every((k) => /^\/a\/ABC\/u[12]$/.test(k)), `${engine}: ${a.join(' ')}`)
      const b = seen.filter((k) => k.startsWith('/b/'))
      const enc = (u: string) => Buffer.from(u + u).toString('base64')
      assert.ok(
        b.length > 0 && b.every((k) => k === `/b/${enc('u1')}/0` || k === `/b/${enc('u1')}/1` || k === `/b/${enc('u2')}/0` || k === `/b/${enc('u2')}/1`),
        `${engine}: ${b.join(' ')}`,
      )
      // teardown: once per user, with the user's setup variables
      assert.deepEqual([counts.get('/bye/u1'), counts.get('/bye/u2')], [1, 1], `${engine}: teardown once per user`)
      const n = (re: RegExp) => [...counts].filter(([k]) => re.test(k)).reduce((x, [, c]) => x + c, 0)
      const journeys = Object.fromEntries((r.journeys ?? []).map((j) => [j.name, j.iterations]))
      assert.ok(journeys.a! > 0 && journeys.b! > 0 && journeys.a! + journeys.b! === r.iterations, `${engine}: ${JSON.stringify(r.journeys)}`)
      assert.equal(n(/^\/a\//), journeys.a, `${engine}: one /a per journey a`)
      assert.equal(n(/^\/b\/.*\/0$/), journeys.b, `${engine}: repeat 2, index 0`)
      assert.equal(n(/^\/b\/.*\/1$/), journeys.b, `${engine}: repeat 2, index 1`)
      assert.equal(counts.get('/a-more'), journeys.a)
      const ga = r.groups?.find((g) => g.name === 'ga')
      assert.equal(ga?.count, journeys.a, `${engine}: the group timed once per journey a: ${JSON.stringify(r.groups)}`)
      assert.ok((ga?.duration?.max ?? 0) > 0)
    } finally {
      await new Promise<void>((r) => server.close(() => r()))
    }
  }
})

test('bad input: a when that does not parse, a hook that is not a function: exit 2 with the file, the step and the fix, no request', async () => {
  let requests = 0
  const server = createServer((_req, res) => {
    requests++
    res.end('ok')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const cases: [string, RegExp][] = [
    [
      'bad-when.ts',
      /bad-when\.ts: steps\[1\]\.when: '\{\{cartSize\}\} >> 0' does not parse: '>' where a value is expected \(at character 15\)\n  fix: write a condition such as '\{\{cartSize\}\} > 0'/,
    ],
    ['bad-hook.ts', /bad-hook\.ts: steps\[1\]\.before: expected a function, got 'sign'\n  fix: write it as a function that returns the variables to set/],
    ['bad-hook.yaml', /bad-hook\.yaml: steps\[1\]\.run: expected a function, got 'vars\.total = 1'\n  fix: .*YAML and JSON scenarios cannot carry functions/],
    // a hook that imports a Node.js module cannot be bundled for k6: said before the run, on
    // either engine (one rule, so the file runs the same on both)
    [
      'node-import.ts',
      new RegExp(
        /node-import\.ts:1:28: Could not resolve "node:crypto" \(bundling the scenario's hooks for k6\)\n.*\n/.source +
          /  fix: hooks run on both engines: they may import relative modules, pure-JS npm packages and golive\/helpers/.source,
      ),
    ],
  ]
  try {
    for (const [file, message] of cases) {
      for (const engine of k6 ? ['embedded', 'k6'] : ['embedded']) {
        const r = await golive(['loadtest', '--scenario', join(FIX, file), '--target', url, '--engine', engine, '--out', mkdtempSync(join(work, 'bad-'))])
        assert.equal(r.code, 2, `${file} on ${engine}: exit ${r.code}\n${r.stderr}`)
        assert.match(r.stderr, message, `${file} on ${engine}`)
        assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace')
      }
    }
    assert.equal(requests, 0, 'no request reached the server')
  } finally {
    server.close()
  }
})
