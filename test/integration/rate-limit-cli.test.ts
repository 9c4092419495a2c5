// golive check rate-limit and golive run with it, as a user runs them.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Results, Scorecard } from '../../core/results.js'
import { startLimitServer } from '../support/limit-server.js'
import { golive } from '../support/cli.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'golive-rl-'))

test('golive check rate-limit: skipped without consent, measured with --allow-drills', async () => {
  const server = await startLimitServer({ loginLimit: 5, rpm: null })
  const dir = tmp()
  // the environment does not allow drills; a short flood ramp keeps the test quick (1 s steps:
  // in 0.5 s ones, a busy machine's late start read as a client below the rate, inconclusive in CI)
  writeFileSync(
    join(dir, 'golive.config.json'),
    JSON.stringify({
      environments: {
        local: { baseUrl: 'http://127.0.0.1:9', checks: { 'rate-limit': { floodStartRpm: 600, floodFactor: 2, floodMaxRpm: 1200, floodStepSeconds: 1 } } },
      },
    }),
  )
  try {
    const refused = await golive(['check', 'rate-limit', '--target', server.url, '--format', 'json', '--out', join(dir, 'a')], { cwd: dir })
    assert.equal(refused.code, 0)
    assert.equal(JSON.parse(refused.stdout).status, 'skipped')
    assert.match(refused.stderr, /golive: check rate-limit skipped: a drill: .*allowDrills/)
    assert.equal(server.requests(), 0, 'nothing sent without consent')

    const r = await golive(['check', 'rate-limit', '--target', server.url, '--allow-drills', '--format', 'json', '--out', join(dir, 'b')], { cwd: dir })
    assert.equal(r.code, 0, r.stderr)
    const result = JSON.parse(r.stdout)
    assert.equal(result.status, 'measured')
    assert.equal(result.figures.login_attempts_before_block.value, 5)
    assert.equal(result.figures.requests_per_minute_before_429?.value, 1200, JSON.stringify(result.evidence?.flood ?? result.evidence))
    assert.equal(result.figures.flood_limited.value, 0)
  } finally {
    await server.close()
  }
})

test('golive run with rate-limit and findings: a server without a login limit and a scan with a high finding are no-go', async () => {
  const server = await startLimitServer({ loginLimit: null, rpm: null })
  const dir = tmp()
  try {
    writeFileSync(
      join(dir, 'zap.json'),
      JSON.stringify({
        '@programName': 'ZAP',
        site: [{ '@name': server.url, alerts: [{ pluginid: '40012', name: 'XSS', riskcode: '3', instances: [{ uri: `${server.url}/q` }] }] }],
      }),
    )
    writeFileSync(
      join(dir, 'golive.config.json'),
      JSON.stringify({
        environments: {
          staging: {
            baseUrl: server.url,
            allowDrills: true,
            checks: {
              'rate-limit': {
                validUsername: 'user1',
                validPassword: 'golive-demo',
                maxAttempts: 110,
                floodStartRpm: 600,
                floodFactor: 2,
                floodMaxRpm: 1200,
                floodStepSeconds: 1,
              },
              findings: { files: ['zap.json'] },
            },
          },
        },
      }),
    )
    const r = await golive(['run', '--only', 'rate-limit,findings', '--out', join(dir, 'out')], { cwd: dir })
    assert.equal(r.code, 1, r.stderr + r.stdout)
    const results = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as Results
    assert.equal(results.figures['rate-limit.login_attempts_before_block']!.value, 110)
    assert.equal(results.figures['rate-limit.other_client_login_ok']!.value, 1)
    assert.equal(results.figures['findings.high']!.value, 1)
    const card = JSON.parse(readFileSync(join(dir, 'out', 'scorecard.json'), 'utf8')) as Scorecard
    const row = (f: string) => card.rows.find((x) => x.figure === f)!
    assert.equal(row('rate-limit.login_attempts_before_block').outcome, 'fail')
    assert.equal(row('findings.high').outcome, 'fail')
    assert.equal(row('findings.critical').outcome, 'pass')
  } finally {
    await server.close()
  }
})
