// A realistic run for the reporter tests: two scenarios with steps, a partial run, checks that
// measured, skipped and errored, scorecard rows of every outcome and level, and hostile text
// (HTML, a table pipe, an ANSI escape) wherever text comes from the target.

import type { LatencySummary, Results, Scorecard, ScorecardRow } from '../../core/results.js'
import type { ReportInput } from '../../reports/types.js'

/** An error body the target sent back: script, an image handler, a pipe and a colour escape. */
export const HOSTILE = '<script>alert(1)</script> | <img src=x onerror=alert(1)> \u001b[31mRED\u001b[0m & `code`\nsecond line'

/** A figure value read from a response header. */
export const HOSTILE_HEADER = 'nginx/1.25.3 <script>x</script> | \u001b]8;;http://evil.example\u0007link\u001b]8;;\u0007'

function lat(p50: number, p95: number, p99: number, max: number): LatencySummary {
  return { count: 1000, min: p50 / 3, mean: p50 * 1.2, p50, p90: p95 * 0.9, p95, p99, max }
}

function row(r: Partial<ScorecardRow> & Pick<ScorecardRow, 'gate' | 'figure' | 'outcome' | 'level' | 'why'>): ScorecardRow {
  return { op: '<', expected: '500 ms', actual: null, actualValue: null, source: 'config', ...r }
}

export function fixtureResults(): Results {
  return {
    schemaVersion: 1,
    run: {
      id: '2024-05-14T10-00-00Z-a1b2',
      startedAt: '2024-05-14T10:00:00.000Z',
      finishedAt: '2024-05-14T10:02:10.500Z',
      durationMs: 130_500,
      partial: true,
      partialReason: 'interrupted by SIGINT',
      environment: 'staging',
      target: 'https://staging.example.com/<b>',
      command: 'golive run --env staging',
      golive: '0.1.0',
      node: 'v20.12.0',
      host: { platform: 'linux', cpus: 8, memoryGiB: 16 },
    },
    figures: {
      'load.checkout.latency_p95': { value: 812, unit: 'ms' },
      'load.browse.latency_p95': { value: 120, unit: 'ms' },
      'load.checkout.error_rate': { value: 2.5, unit: '%' },
      'tls.grade': { value: 'A+', unit: 'grade' },
      'headers.server': { value: HOSTILE_HEADER },
    },
    scenarios: [
      {
        name: 'checkout',
        engine: 'embedded',
        status: 'measured',
        startedAt: '2024-05-14T10:00:00.100Z',
        durationMs: 60_000,
        profile: { model: 'closed', vus: 50, duration: '60s' },
        coordinatedOmission: 'not-applicable',
        requests: 12_000,
        errors: 300,
        iterations: 4_000,
        droppedIterations: 0,
        vusMax: 50,
        bytesReceived: 48_000_000,
        statuses: { '200': 11_700, '500': 250, ECONNRESET: 50 },
        latency: lat(45, 812, 1_450, 2_300),
        histogram: null,
        steps: [
          {
            name: 'GET /products',
            method: 'GET',
            requests: 4_000,
            errors: 0,
            statuses: { '200': 4_000 },
            checks: { passed: 4_000, failed: 0 },
            latency: lat(30, 90, 150, 400),
            histogram: null,
          },
          {
            name: 'POST /cart | add',
            method: 'POST',
            requests: 4_000,
            errors: 50,
            statuses: { '200': 3_950, ECONNRESET: 50 },
            checks: { passed: 3_950, failed: 50 },
            latency: lat(60, 300, 700, 1_200),
            histogram: null,
            bytes: 524_288,
            bytesDecoded: 2_097_152,
            protocols: { h2: 3_900, 'http/1.1': 100 },
          },
          {
            name: 'POST /checkout',
            method: 'POST',
            requests: 4_000,
            errors: 250,
            statuses: { '200': 3_750, '500': 250 },
            checks: { passed: 3_750, failed: 250 },
            latency: lat(120, 812, 1_450, 2_300),
            histogram: null,
          },
        ],
        timeline: [],
        topErrors: [
          { step: 'POST /checkout', kind: 'status', message: HOSTILE, count: 250 },
          { step: 'POST /cart | add', kind: 'transport', message: 'ECONNRESET', count: 50 },
        ],
      },
      {
        name: 'browse',
        engine: 'embedded',
        status: 'partial',
        reason: 'stopped early: interrupted by SIGINT',
        startedAt: '2024-05-14T10:01:00.200Z',
        durationMs: 45_000,
        profile: { model: 'open', rate: 100, maxVUs: 40 },
        coordinatedOmission: 'corrected',
        requests: 9_000,
        errors: 0,
        iterations: 4_500,
        droppedIterations: 12,
        vusMax: 40,
        bytesReceived: 90_000_000,
        statuses: { '200': 9_000 },
        latency: lat(40, 120, 210, 640),
        histogram: null,
        steps: [
          {
            name: 'GET /',
            method: 'GET',
            requests: 4_500,
            errors: 0,
            statuses: { '200': 4_500 },
            checks: { passed: 4_500, failed: 0 },
            latency: lat(35, 100, 180, 500),
            histogram: null,
          },
          {
            name: 'GET /search?q=<b>',
            method: 'GET',
            requests: 4_500,
            errors: 0,
            statuses: { '200': 4_500 },
            checks: { passed: 4_500, failed: 0 },
            latency: lat(45, 140, 230, 640),
            histogram: null,
          },
        ],
        timeline: [],
        topErrors: [],
      },
    ],
    checks: [
      {
        id: 'tls',
        status: 'measured',
        figures: { grade: { value: 'A+', unit: 'grade' } },
        evidence: {},
        startedAt: '2024-05-14T10:00:00.000Z',
        durationMs: 1_250,
      },
      {
        id: 'headers',
        status: 'measured',
        figures: { server: { value: HOSTILE_HEADER } },
        evidence: {},
        startedAt: '2024-05-14T10:00:01.000Z',
        durationMs: 300,
      },
      {
        id: 'backup-restore',
        status: 'skipped',
        reason: 'no backup configured: set environments.staging.backup',
        figures: {},
        evidence: null,
        startedAt: '2024-05-14T10:00:02.000Z',
        durationMs: 0,
      },
      {
        id: 'alerts',
        status: 'error',
        reason: `alertmanager said: ${HOSTILE}`,
        figures: {},
        evidence: null,
        startedAt: '2024-05-14T10:00:03.000Z',
        durationMs: 5_000,
      },
    ],
    gates: [],
  }
}

/** Ten rows: outcomes pass, fail, missing, skipped, error, not-run; levels blocker, warn, off. */
export function fixtureRows(): ScorecardRow[] {
  return [
    row({
      gate: 'load.*.latency_p95 < 500ms',
      figure: 'load.checkout.latency_p95',
      actual: '812 ms',
      actualValue: 812,
      unit: 'ms',
      level: 'blocker',
      outcome: 'fail',
      why: 'p95 812 ms is 312 ms over the 500 ms target',
    }),
    row({
      gate: 'load.*.latency_p95 < 500ms',
      figure: 'load.browse.latency_p95',
      actual: '120 ms',
      actualValue: 120,
      unit: 'ms',
      level: 'blocker',
      outcome: 'pass',
      why: 'p95 120 ms is within 500 ms',
    }),
    row({
      gate: 'load.*.error_rate < 1%',
      figure: 'load.checkout.error_rate',
      expected: '1 %',
      actual: '2.5 %',
      actualValue: 2.5,
      unit: '%',
      level: 'warn',
      outcome: 'fail',
      why: 'error rate 2.5 % is over 1 %',
    }),
    row({
      gate: 'tls.grade >= A',
      figure: 'tls.grade',
      op: '>=',
      expected: 'A',
      actual: 'A+',
      actualValue: 'A+',
      unit: 'grade',
      level: 'blocker',
      outcome: 'pass',
      why: 'grade A+ meets A',
    }),
    row({
      gate: 'headers.server == hidden',
      figure: 'headers.server',
      op: '==',
      expected: 'hidden',
      actual: HOSTILE_HEADER,
      actualValue: HOSTILE_HEADER,
      level: 'blocker',
      outcome: 'fail',
      why: 'the Server header names the software and version',
    }),
    row({
      gate: 'headers.hsts_max_age >= 31536000',
      figure: 'headers.hsts_max_age',
      op: '>=',
      expected: '31536000',
      level: 'blocker',
      outcome: 'missing',
      why: 'no such figure: the response had no Strict-Transport-Security header',
    }),
    row({
      gate: 'backup-restore.restore_seconds < 300',
      figure: 'backup-restore.restore_seconds',
      expected: '300 s',
      level: 'blocker',
      outcome: 'skipped',
      why: 'backup-restore was skipped: no backup configured',
    }),
    row({
      gate: 'alerts.delivery_seconds < 60',
      figure: 'alerts.delivery_seconds',
      expected: '60 s',
      level: 'warn',
      outcome: 'error',
      why: `alerts failed: ${HOSTILE}`,
    }),
    row({
      gate: 'page-load.lcp < 2500ms',
      figure: 'page-load.lcp',
      expected: '2.5 s',
      level: 'blocker',
      outcome: 'not-run',
      why: 'page-load is not part of this run',
    }),
    row({
      gate: 'load.checkout.latency_p99 < 1s',
      figure: 'load.checkout.latency_p99',
      expected: '1 s',
      actual: '1.45 s',
      actualValue: 1_450,
      unit: 'ms',
      level: 'off',
      outcome: 'fail',
      why: 'p99 1.45 s is over 1 s (gate is off)',
    }),
  ]
}

export function fixtureScorecard(): Scorecard {
  return {
    verdict: 'no-go',
    summary: 'NO-GO: 3 blockers failed (load.checkout.latency_p95, headers.server, headers.hsts_max_age), 2 warnings',
    partial: true,
    counts: { pass: 2, fail: 4, warn: 2, off: 2 },
    rows: fixtureRows(),
  }
}

export function fixture(): ReportInput {
  return {
    results: fixtureResults(),
    scorecard: fixtureScorecard(),
    files: [{ label: 'results', path: '.golive/runs/2024-05-14/results.json' }],
  }
}

/** The same run judged GO and complete, for the other banner. */
export function goFixture(): ReportInput {
  const input = fixture()
  input.results.run.partial = false
  delete input.results.run.partialReason
  input.scorecard = {
    verdict: 'go',
    summary: 'GO: all 2 blockers passed',
    partial: false,
    counts: { pass: 2, fail: 0, warn: 0, off: 0 },
    rows: fixtureRows().filter((r) => r.outcome === 'pass'),
  }
  return input
}
