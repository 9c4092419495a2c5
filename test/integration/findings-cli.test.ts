// golive check findings as a user runs it: report paths relative to the config, counts on
// stdout as JSON, a broken report → exit 2 with one message naming it.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { golive } from '../support/cli.js'

const fixtures = fileURLToPath(new URL('../fixtures/findings/', import.meta.url))

function project(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'golive-findings-'))
  mkdirSync(join(dir, 'scans'))
  for (const f of files) copyFileSync(join(fixtures, f), join(dir, 'scans', f.split('/').pop()!))
  writeFileSync(
    join(dir, 'golive.config.json'),
    JSON.stringify({
      environments: { staging: { baseUrl: 'http://127.0.0.1:9', checks: { findings: { files: files.map((f) => `scans/${f.split('/').pop()}`) } } } },
    }),
  )
  return dir
}

test('golive check findings: files relative to the config, counts as JSON', async () => {
  const dir = project(['trivy.sarif', 'semgrep.sarif', 'zap-report.json'])
  // run from elsewhere: the paths resolve against the config file, not the working directory
  const r = await golive(['check', 'findings', '--config', join(dir, 'golive.config.json'), '--format', 'json', '--out', join(dir, 'out')], { cwd: tmpdir() })
  // 4 critical and 8 high: the go-live preset's findings gates fail, so exit 1 (no-go), each named
  assert.equal(r.code, 1, r.stderr)
  assert.match(r.stderr, /FAIL findings\.critical == 0: critical is 4/)
  const result = JSON.parse(r.stdout)
  assert.equal(result.status, 'measured')
  const v = Object.fromEntries(Object.entries(result.figures as Record<string, { value: number }>).map(([k, f]) => [k, f.value]))
  assert.deepEqual(v, { critical: 4, high: 8, medium: 8, low: 5, info: 2, total: 27 })
  assert.equal(result.evidence.top[0].severity, 'critical')
  assert.match(result.evidence.top[0].location, /package-lock\.json:\d+/)
})

test('golive check findings: a file that is not SARIF → exit 2, one message naming it, no stack', async () => {
  const dir = project(['trivy.sarif', 'broken/wrong-version.sarif'])
  const r = await golive(['check', 'findings', '--config', join(dir, 'golive.config.json'), '--format', 'json', '--out', join(dir, 'out')], { cwd: dir })
  assert.equal(r.code, 2)
  assert.equal(JSON.parse(r.stdout).status, 'error')
  const lines = r.stderr.trim().split('\n')
  assert.equal(lines.length, 1, r.stderr)
  assert.match(lines[0]!, /^golive: check findings could not measure: .*scans\/wrong-version\.sarif: not SARIF 2\.1\.0: "version" is "2\.0\.0"$/)
  assert.doesNotMatch(r.stderr, /\n\s+at /)
})
