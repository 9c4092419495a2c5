// A misspelled scenario field stops the run before the first request (issue 14): exit 2, the
// file, the step, the field and the nearest valid name; a counting server sees nothing.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { golive } from '../support/cli.js'

const FIX = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url))

test('loadtest --scenario with `chek` exits 2 naming the file, step and field, and makes zero requests', async () => {
  let requests = 0
  const server = createServer((_req, res) => {
    requests++
    res.end('ok')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  try {
    for (const file of ['misspelled-check.ts', 'misspelled.yaml']) {
      for (const engine of ['embedded', 'k6']) {
        const r = await golive([
          'loadtest',
          '--scenario',
          join(FIX, file),
          '--target',
          `http://127.0.0.1:${port}`,
          '--engine',
          engine,
          '--out',
          mkdtempSync(join(tmpdir(), 'golive-sv-')),
        ])
        assert.equal(r.code, 2, `${file} on ${engine}: exit ${r.code}\n${r.stderr}`)
        // a missing k6 binary is also exit 2: only the validation message counts here
        if (engine === 'k6' && /k6/.test(r.stderr) && !/chek/.test(r.stderr)) continue
        assert.match(
          r.stderr,
          new RegExp(`${file.replace('.', '\\.')}: steps\\[2\\]\\.chek: unknown field \\(did you mean check\\?\\)\\n  fix: rename 'chek' to 'check'`),
        )
        assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace')
      }
    }
    assert.equal(requests, 0, 'no request reached the server')
  } finally {
    server.close()
  }
})

test('a mix with weight 0 everywhere, a journey without steps, and a teardown k6 cannot run: exit 2 with the file, the place and the fix, zero requests', async () => {
  let requests = 0
  const server = createServer((_req, res) => {
    requests++
    res.end('ok')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  try {
    const cases: [string, string[], RegExp][] = [
      [
        'zero-weights.yaml',
        ['embedded', 'k6'],
        /zero-weights\.yaml: journeys: every journey has weight 0, so no iteration could pick one\n  fix: give at least one journey a weight > 0/,
      ],
      [
        'journey-no-steps.yaml',
        ['embedded', 'k6'],
        /journey-no-steps\.yaml: journeys\[1\]\.steps: expected a list of at least one step, got an empty list\n  fix: add steps: /,
      ],
      ['open-teardown.ts', ['k6'], /open-teardown\.ts: teardown: a per-user teardown on the open model .*which k6 cannot run.*\n  fix: use a closed profile/],
    ]
    for (const [file, engines, message] of cases) {
      for (const engine of engines) {
        const r = await golive([
          'loadtest',
          '--scenario',
          join(FIX, file),
          '--target',
          `http://127.0.0.1:${port}`,
          '--engine',
          engine,
          '--out',
          mkdtempSync(join(tmpdir(), 'golive-sv-')),
        ])
        assert.equal(r.code, 2, `${file} on ${engine}: exit ${r.code}\n${r.stderr}`)
        if (engine === 'k6' && /k6/.test(r.stderr) && !message.test(r.stderr) && /install/.test(r.stderr)) continue // no k6 binary: also exit 2
        assert.match(r.stderr, message, `${file} on ${engine}`)
        assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace')
      }
    }
    assert.equal(requests, 0, 'no request reached the server')
  } finally {
    server.close()
  }
})
