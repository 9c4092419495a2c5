// The k6 compiler without k6: profiles as k6 executors, refusals, gates as thresholds, the raw
// sample fold and its exact merge, and the k6-operator manifests against the CRD's own schema.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import { parse as parseYaml, parseAllDocuments } from 'yaml'
import { compileScenario } from '../../scenarios/compile.js'
import type { Scenario } from '../../scenarios/dsl.js'
import { k6Options } from '../../scenarios/engines/k6/options.js'
import { assertRunsOnK6 } from '../../scenarios/engines/k6/index.js'
import { K6Samples, WANTED } from '../../scenarios/engines/k6/samples.js'
import { K6_VERSION } from '../../scenarios/engines/k6/binary.js'
import { operatorManifests } from '../../scenarios/engines/k6/operator.js'
import { k6Thresholds } from '../../gates/k6-thresholds.js'
import { resolveGates } from '../../gates/presets.js'
import { parseGate } from '../../gates/parse.js'
import { decodeHistogram } from '../../core/histogram.js'
import type { UsageError } from '../../core/errors.js'

const steps: Scenario['steps'] = [
  { name: 'home', path: '/' },
  { name: 'buy', path: '/buy', json: { id: 1 } },
]
const plan = (profile: Scenario['profile'], over: Partial<Scenario> = {}) => compileScenario({ name: 's', profile, steps, ...over }, { file: 's.ts' })
const executor = (p: ReturnType<typeof plan>) => (k6Options(p, {}, 's.ts').scenarios as Record<string, Record<string, unknown>>).s!

test('the closed model becomes constant-vus, ramping-vus or shared-iterations', () => {
  assert.deepEqual(executor(plan({ model: 'closed', vus: 10, duration: '30s' })), {
    executor: 'constant-vus',
    vus: 10,
    duration: '30000ms',
    gracefulStop: '5000ms',
  })
  assert.deepEqual(
    executor(
      plan({
        model: 'closed',
        stages: [
          { duration: '10s', target: 50 },
          { duration: '20s', target: 0 },
        ],
        gracefulStop: '2s',
      }),
    ),
    {
      executor: 'ramping-vus',
      startVUs: 0,
      gracefulStop: '2000ms',
      gracefulRampDown: '2000ms',
      stages: [
        { duration: '10000ms', target: 50 },
        { duration: '20000ms', target: 0 },
      ],
    },
  )
  assert.deepEqual(executor(plan({ model: 'closed', vus: 4, duration: '1m', iterations: 100 })), {
    executor: 'shared-iterations',
    vus: 4,
    iterations: 100,
    maxDuration: '60000ms',
    gracefulStop: '5000ms',
  })
})

test('the open model becomes arrival-rate executors; fractional rates keep their value', () => {
  assert.deepEqual(executor(plan({ model: 'open', rate: 20, duration: '10s', maxVUs: 50 })), {
    executor: 'constant-arrival-rate',
    rate: 20,
    timeUnit: '1s',
    duration: '10000ms',
    preAllocatedVUs: 20,
    maxVUs: 50,
    gracefulStop: '5000ms',
  })
  // 30 per minute is 0.5 per second: 500 per 1000 s
  const half = executor(plan({ model: 'open', rate: 30, timeUnit: '1m', duration: '10s', maxVUs: 5 }))
  assert.equal(half.rate, 500)
  assert.equal(half.timeUnit, '1000s')
  const ramp = executor(
    plan({
      model: 'open',
      stages: [
        { duration: '5s', target: 10 },
        { duration: '5s', target: 40 },
      ],
      maxVUs: 100,
    }),
  )
  assert.equal(ramp.executor, 'ramping-arrival-rate')
  assert.equal(ramp.startRate, 0)
  assert.deepEqual(ramp.stages, [
    { duration: '5000ms', target: 10 },
    { duration: '5000ms', target: 40 },
  ])
})

test('what k6 cannot run is refused with the reason, never dropped', () => {
  const ramp = plan({ model: 'closed', stages: [{ duration: '5s', target: 5 }], iterations: 10 })
  assert.throws(
    () => k6Options(ramp, {}, 's.ts'),
    (e: UsageError) => /iterations cap \(10\) on a ramping profile, which k6 cannot run/.test(e.message) && /shared-iterations/.test(e.hint ?? ''),
  )
  const hook: Scenario = {
    name: 's',
    profile: { model: 'closed', vus: 1, duration: '1s' },
    steps: [{ name: 'a', path: '/', json: { at: (() => Date.now()) as unknown as string } }],
  }
  assert.throws(
    () => assertRunsOnK6(hook, compileScenario(hook, { file: 'h.ts' }), 'h.ts'),
    /h\.ts: steps\[0\]\.json\.at: is a function, and only hooks \(a step's before, after, run\) cross into a k6 script as code/,
  )
  const extra = {
    name: 's',
    profile: { model: 'closed', vus: 1, duration: '1s' },
    steps: [{ name: 'a', path: '/', beforeRequest: 'sign' }],
  } as unknown as Scenario
  // compileScenario refuses an unknown field first (scenario.schema.json); the k6 refusal stays for
  // fields the schema will accept before the k6 compiler knows them
  assert.throws(
    () => assertRunsOnK6(extra, compileScenario(hook, { file: 'x.ts' }), 'x.ts'),
    /steps\[0\]\.beforeRequest: is not a step field the k6 compiler knows/,
  )
})

test('blocker gates become k6 thresholds; warnings and inexpressible gates do not', () => {
  const gates = resolveGates(['go-live'], ['load.*.step.buy.latency_p99 < 800ms', 'load.s.requests >= 10', 'load.*.latency_p99 < 1s warn'])
  const t = k6Thresholds(gates, 's', ['home', 'buy'])
  assert.deepEqual(t.thresholds, {
    http_req_duration: ['p(95)<500', 'max<2000'],
    golive_errors: ['rate<0.001'],
    'http_req_duration{name:buy}': ['p(99)<800'],
    http_reqs: ['count>=10'],
  })
  // the go-live preset's vus_max gate names the 'load' scenario only
  assert.deepEqual(k6Thresholds(gates, 'load', ['home']).notExpressed, [
    { gate: 'load.load.vus_max >= 100', why: 'k6 keeps only the last value of its vus gauge, not the peak' },
  ])
})

// k6 --out json lines, as k6 v1 writes them
function point(metric: string, t: number, value: number, tags: Record<string, string> = {}): string {
  return JSON.stringify({ metric, type: 'Point', data: { time: new Date(1_800_000_000_000 + t).toISOString().replace('Z', '123456Z'), value, tags } })
}

function sampleLines(seed: number, n: number): string[] {
  const lines = [point('golive_epoch', 0, 1)]
  for (let i = 0; i < n; i++) {
    const t = 10 + i * 37
    const step = i % 3 ? 'home' : 'buy'
    const ms = 1 + ((i * seed * 7919) % 997) / 3
    const status = i % 50 === 7 ? '0' : i % 20 === 3 ? '503' : '200'
    lines.push(point('http_req_duration', t, status === '0' ? 0 : ms, { name: step, status, ...(status === '0' ? { error_code: '1212' } : {}) }))
    lines.push(point('http_req_waiting', t, ms, { name: step })) // skipped unread
    lines.push(point('golive_errors', t, status === '200' ? 0 : 1, { name: step }))
    if (status !== '200')
      lines.push(
        point('golive_error_messages', t, 1, {
          name: step,
          kind: status === '0' ? 'transport' : 'status',
          error: status === '0' ? 'ECONNREFUSED: refused' : 'status 503',
        }),
      )
    if (i % 5 === 0) lines.push(point('vus', t, 3))
    if (i % 3 === 2) lines.push(point('iterations', t, 1))
  }
  return lines
}

test('raw samples fold into the figures the embedded engine reports', () => {
  const s = new K6Samples([
    { name: 'home', method: 'GET' },
    { name: 'buy', method: 'POST' },
  ])
  for (const l of sampleLines(1, 300)) s.line(l)
  s.line('{"metric":"http_req_duration","type":"Point","data":{"ti') // cut off by a killed k6
  const t = s.totals()
  assert.equal(t.requests, 300)
  const refused = Math.ceil((300 - 7) / 50),
    unavailable = [...Array(300).keys()].filter((i) => i % 20 === 3 && i % 50 !== 7).length
  assert.equal(t.statuses.ECONNREFUSED, refused)
  assert.equal(t.statuses['503'], unavailable)
  assert.equal(t.errors, refused + unavailable)
  assert.equal(t.latency!.count, 300 - refused, 'no latency for requests that got no response')
  assert.equal(t.iterations, 100)
  assert.equal(t.vusMax, 3)
  assert.equal(t.steps.find((x) => x.name === 'buy')!.method, 'POST')
  // one row per step, kind and message, most frequent first
  const byKind = (k: string) => t.topErrors.filter((e) => e.kind === k).reduce((a, e) => a + e.count, 0)
  assert.equal(byKind('status'), unavailable)
  assert.equal(byKind('transport'), refused)
  assert.ok(t.topErrors.every((e, i) => i === 0 || t.topErrors[i - 1]!.count >= e.count))
  // 300 samples 37 ms apart from t=10 ms: seconds 0..11
  assert.equal(t.timeline.length, 12)
  assert.equal(
    t.timeline.reduce((a, p) => a + p.requests, 0),
    300,
  )
})

test('samples from several k6 processes merge exactly: the merged p95 is the p95 of all samples', () => {
  const a = sampleLines(3, 500),
    b = sampleLines(11, 700)
  const steps = [
    { name: 'home', method: 'GET' },
    { name: 'buy', method: 'POST' },
  ]
  const one = new K6Samples(steps)
  for (const l of [...a, ...b]) one.line(l)
  const sa = new K6Samples(steps),
    sb = new K6Samples(steps)
  for (const l of a) sa.line(l)
  for (const l of b) sb.line(l)
  sa.absorb(sb)
  const merged = sa.totals(),
    all = one.totals()
  assert.deepEqual(merged.latency, all.latency)
  assert.equal(merged.requests, 1200)
  assert.equal(decodeHistogram(merged.histogram!).totalCount, decodeHistogram(all.histogram!).totalCount)
  for (const q of [50, 95, 99, 99.9]) {
    assert.equal(decodeHistogram(merged.histogram!).getValueAtPercentile(q), decodeHistogram(all.histogram!).getValueAtPercentile(q), `p${q}`)
  }
  assert.deepEqual(
    merged.steps.map((s) => s.latency),
    all.steps.map((s) => s.latency),
  )
  assert.deepEqual(merged.statuses, all.statuses)
  // side by side, users add up
  assert.equal(merged.vusMax, 6)
})

// vendored (test/fixtures/k6-operator/README.md): a fresh clone must have it
const CRD = fileURLToPath(new URL('../fixtures/k6-operator/k6.io_testruns.yaml', import.meta.url))

test('the k6-operator TestRun validates against the TestRun CRD schema', (t) => {
  if (!existsSync(CRD)) {
    if (process.env.CI) assert.fail(`the k6-operator CRD is missing at ${CRD}`)
    return t.skip(`the k6-operator CRD is missing at ${CRD}`)
  }
  const crd = parseYaml(readFileSync(CRD, 'utf8'))
  const version = crd.spec.versions.find((v: { name: string }) => v.name === 'v1alpha1')
  // Kubernetes' structural schemas carry x-kubernetes-* keywords ajv does not know
  const validate = new Ajv({ strict: false, allErrors: true }).compile(version.schema.openAPIV3Schema)
  const m = operatorManifests({
    scenario: 'load',
    script: 'export default function () {}',
    parallelism: 4,
    namespace: 'perf',
    testId: 'load-1',
    target: 'http://app.staging.svc:8080',
    prometheusRw: 'http://prometheus.monitoring.svc:9090/api/v1/write',
    secretEnv: 'golive-auth',
  })
  assert.ok(validate(m.testRun), JSON.stringify(validate.errors))
  const [configMap, testRun] = parseAllDocuments(m.yaml).map((d) => d.toJS() as Record<string, any>)
  const docs = [configMap!, testRun!]
  assert.deepEqual(
    docs.map((d) => d.kind),
    ['ConfigMap', 'TestRun'],
  )
  assert.ok(validate(docs[1]), JSON.stringify(validate.errors))
  assert.equal(testRun!.spec.parallelism, 4)
  assert.equal(testRun!.spec.script.configMap.name, configMap!.metadata.name)
  assert.equal(configMap!.data[testRun!.spec.script.configMap.file], 'export default function () {}')
  assert.match(testRun!.spec.arguments, /--out experimental-prometheus-rw/)
  assert.deepEqual(
    testRun!.spec.runner.env.find((e: { name: string }) => e.name === 'GOLIVE_TESTID'),
    { name: 'GOLIVE_TESTID', value: 'load-1' },
  )
  // a broken manifest is caught by the same schema: the test can fail
  assert.equal(validate({ ...m.testRun, spec: { ...(m.testRun.spec as object), parallelism: 'four' } }), false)
  // secrets by reference: one secretKeyRef per variable, the target itself from the Secret when it holds one
  const s = operatorManifests({
    scenario: 'load',
    script: '',
    parallelism: 2,
    namespace: 'perf',
    testId: 'load-2',
    target: 'http://app:8080',
    prometheusRw: 'http://p/api/v1/write',
    secretKeys: ['STAGING_TOKEN', 'GOLIVE_HEADERS', 'GOLIVE_TARGET'],
  })
  assert.ok(validate(s.testRun), JSON.stringify(validate.errors))
  const env = (s.testRun as { spec: { runner: { env: { name: string; value?: string; valueFrom?: unknown }[] } } }).spec.runner.env
  assert.deepEqual(
    env.find((e) => e.name === 'STAGING_TOKEN'),
    { name: 'STAGING_TOKEN', valueFrom: { secretKeyRef: { name: 'golive-load-2-secrets', key: 'STAGING_TOKEN' } } },
  )
  assert.equal(env.filter((e) => e.name === 'GOLIVE_TARGET').length, 1)
  assert.equal(env.find((e) => e.name === 'GOLIVE_TARGET')?.value, undefined)
})

test("flow figures become k6 thresholds on golive's own metrics; with once-only steps the totals take golive_phase:journey", () => {
  const gates = [
    'load.s.group.checkout.duration_p95 < 800ms',
    'load.s.metric.total_p99 < 500',
    'load.s.metric.items_count >= 3',
    'load.s.metric.paid_rate > 90%',
    'load.s.journey.buy.iterations > 5',
    'load.s.journey.buy.latency_p95 < 1s',
    'load.s.error_rate < 1%',
  ].map((g) => parseGate(g))
  const t = k6Thresholds(gates, 's', ['home'], {
    journeys: ['buy'],
    groups: ['checkout'],
    metrics: [
      { name: 'total', type: 'trend' },
      { name: 'items', type: 'counter' },
      { name: 'paid', type: 'rate' },
    ],
    phased: true,
  })
  assert.deepEqual(t.thresholds, {
    'golive_group_duration{group:checkout}': ['p(95)<800'],
    'golive_metric_trend{metric:total}': ['p(99)<500'],
    'golive_metric_counter{metric:items}': ['count>=3'],
    'golive_metric_rate{metric:paid}': ['rate>0.9'],
    'golive_journey{journey:buy}': ['count>5'],
    'golive_errors{golive_phase:journey}': ['rate<0.01'],
  })
  assert.deepEqual(t.notExpressed, [
    { gate: 'load.s.journey.buy.latency_p95 < 1s', why: 'k6 has no threshold for journey.buy.latency_p95 (golive judges it from the samples)' },
  ])
})

test("the k6 golive builds is the pinned one: tools/k6/go.mod requires K6_VERSION, and golive's output writes what the fold reads", () => {
  const goMod = readFileSync(fileURLToPath(new URL('../../tools/k6/go.mod', import.meta.url)), 'utf8')
  assert.match(goMod, new RegExp(`^\\s*go\\.k6\\.io/k6 ${K6_VERSION.replace(/\./g, '\\.')}$`, 'm'))
  const output = readFileSync(fileURLToPath(new URL('../../tools/k6/output.go', import.meta.url)), 'utf8')
  // the output filters by the list golive passes (GOLIVE_K6_METRICS = WANTED), not by a copy of it
  assert.match(output, /p\.Environment\["GOLIVE_K6_METRICS"\]/)
  assert.ok(WANTED.has('http_req_duration') && WANTED.has('golive_epoch') && !WANTED.has('http_req_waiting'))
})

test("a second's histogram is packed a few seconds on, and a sample arriving after that still counts exactly", () => {
  const steps = [
    { name: 'home', method: 'GET' },
    { name: 'buy', method: 'POST' },
  ]
  const lines = sampleLines(5, 400) // seconds 0..14
  const inOrder = new K6Samples(steps)
  for (const l of lines) inOrder.line(l)
  // the first second's samples held back to the end: by then its histogram has been packed
  const late = new K6Samples(steps)
  const second0 = `"time":"${new Date(1_800_000_000_000).toISOString().slice(0, 20)}`
  const first = lines.filter((l) => l.includes(second0) && !l.includes('golive_epoch'))
  assert.ok(first.length > 5, `${first.length} samples in the first second`)
  for (const l of lines) if (!first.includes(l)) late.line(l)
  for (const l of first) late.line(l)
  assert.deepEqual(late.totals().timeline, inOrder.totals().timeline)
  assert.ok(inOrder.totals().timeline.length > 10)
})
