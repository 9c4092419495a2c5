// What golive writes and deletes, on real files and real processes: a user's `latest` is kept,
// a full disk loses nothing (the results go to stdout), --out at things that are not folders,
// signals mid-run, two runs at once in one folder.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  truncateSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { validateResults } from '../../core/read-results.js'
import type { Results } from '../../core/results.js'
import { startLatencyServer } from '../support/latency-server.js'
import { golive } from '../support/cli.js'
import { fixtureResults } from '../support/report-fixture.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'golive-out-'))
const read = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T
const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .+\(.*:\d+:\d+\)|unexpected error/)

test("a folder of the user's named latest in outDir is kept, and the run refuses with the fix (exit 2)", async () => {
  const cwd = tmp()
  const latest = join(cwd, '.golive/runs/latest')
  mkdirSync(latest, { recursive: true })
  writeFileSync(join(latest, 'notes.txt'), 'mine')
  const r = await golive(['loadtest', '--target', 'http://127.0.0.1:9/', '--vus', '1', '--duration', '1s'], { cwd })
  assert.equal(r.code, 2)
  assert.match(r.stderr, /latest is a folder golive did not make.*\n  fix: move or rename/)
  noStack(r.stderr)
  assert.equal(readFileSync(join(latest, 'notes.txt'), 'utf8'), 'mine')
  assert.deepEqual(readdirSync(join(cwd, '.golive/runs')), ['latest'], 'no run directory was made either')
  // a symlink the user made to somewhere else is theirs too
  rmSync(latest, { recursive: true })
  symlinkSync(tmpdir(), latest)
  const r2 = await golive(['loadtest', '--target', 'http://127.0.0.1:9/', '--vus', '1', '--duration', '1s'], { cwd })
  assert.equal(r2.code, 2)
  assert.match(r2.stderr, /latest is a symlink golive did not make/)
  assert.equal(readlinkSync(latest), tmpdir())
})

test('--out at a file, at a symlink loop, and a config path that is a folder: one message with the fix, exit 2', async () => {
  const cwd = tmp()
  writeFileSync(join(cwd, 'afile'), 'x')
  symlinkSync('loop-b', join(cwd, 'loop-a'))
  symlinkSync('loop-a', join(cwd, 'loop-b'))
  const cases: [string[], RegExp][] = [
    [['loadtest', '--target', 'http://127.0.0.1:9/', '--out', 'afile'], /--out .*afile: a file of that name is in the way.*\n  fix: /],
    [['loadtest', '--target', 'http://127.0.0.1:9/', '--out', 'loop-a/run'], /loop-a\/run: the path is a symlink loop \(ELOOP\)\n  fix: /],
    [['report', '--from', 'nothing.json', '--out', 'afile/x'], /nothing\.json: no such file/],
    [['run', '--config', cwd], /is a folder, not a config file\n  fix: pass the config file itself/],
  ]
  for (const [args, message] of cases) {
    const r = await golive(args, { cwd })
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
    assert.match(r.stderr, message)
    noStack(r.stderr)
  }
  assert.equal(readFileSync(join(cwd, 'afile'), 'utf8'), 'x')
})

test('SIGTERM and SIGHUP mid-run write partial results whose reason names the signal', async () => {
  const server = await startLatencyServer([{ ms: 10, share: 100 }])
  try {
    for (const sig of ['SIGTERM', 'SIGHUP'] as const) {
      const out = tmp()
      const before = server.served()
      const r = await golive(['loadtest', '--target', server.url, '--vus', '3', '--duration', '60s', '--out', out], {
        onStart: (p) => {
          const t = setInterval(() => {
            if (server.served() - before > 30) {
              clearInterval(t)
              p.kill(sig)
            }
          }, 100)
          p.once('exit', () => clearInterval(t))
        },
        timeoutMs: 60_000,
      })
      assert.equal(r.code, 1, r.stderr)
      const results = read<Results>(join(out, 'results.json'))
      assert.equal(results.run.partial, true)
      assert.match(results.run.partialReason!, new RegExp(`^interrupted \\(${sig}\\)`))
      assert.ok((results.figures['load.get.requests']!.value as number) > 30, 'what was measured is kept')
      assert.ok(existsSync(join(out, 'scorecard.json')))
    }
  } finally {
    await server.close()
  }
})

test('two runs at once in one outDir: both in the history, latest at one of them, every file whole', async () => {
  const server = await startLatencyServer([{ ms: 2, share: 100 }])
  const cwd = tmp()
  try {
    const args = ['loadtest', '--target', server.url, '--vus', '2', '--duration', '2s']
    const [a, b] = await Promise.all([golive(args, { cwd }), golive(args, { cwd })])
    assert.equal(a.code, 0, a.stderr)
    assert.equal(b.code, 0, b.stderr)
    const root = join(cwd, '.golive/runs')
    const runs = readdirSync(root).filter((n) => n !== 'latest')
    assert.equal(runs.length, 2, `two run directories, no temporary leftovers: ${runs}`)
    const ids = runs.map((n) => {
      const results = read<Results>(join(root, n, 'results.json'))
      assert.equal(validateResults(results), null)
      read(join(root, n, 'scorecard.json'))
      return results.run.id
    })
    assert.notEqual(ids[0], ids[1])
    assert.ok(lstatSync(join(root, 'latest')).isSymbolicLink())
    assert.ok(runs.includes(readlinkSync(join(root, 'latest'))))
    const h = await golive(['history', '--format', 'json'], { cwd })
    assert.equal(h.code, 0, h.stderr)
    assert.deepEqual((JSON.parse(h.stdout) as { id: string }[]).map((r) => r.id).sort(), [...ids].sort())
  } finally {
    await server.close()
  }
})

/** A 1 MiB tmpfs (we are root in CI), or null where mounting is not allowed. */
function smallDisk(): string | null {
  const dir = tmp()
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' })
    return dir
  } catch {
    return null
  }
}

test('a full disk (1 MiB tmpfs): exit 2 with the path and the fix, no truncated file, the results on stdout as JSON', async (t) => {
  const disk = smallDisk()
  if (!disk) {
    t.skip('mount -t tmpfs is not allowed here')
    return
  }
  const server = await startLatencyServer([{ ms: 2, share: 100 }])
  try {
    // fill the disk, then free 8 KiB: room for the run directory's marker, not for results.json
    const filler = join(disk, 'filler')
    try {
      writeFileSync(filler, Buffer.alloc(2 * 1024 * 1024))
    } catch {
      /* ENOSPC: full now */
    }
    truncateSync(filler, statSync(filler).size - 8192)
    const r = await golive(['loadtest', '--target', server.url, '--vus', '1', '--duration', '1s'], { cwd: disk })
    assert.equal(r.code, 2, r.stderr)
    assert.match(
      r.stderr,
      /cannot write .*results\.json: the disk is full \(ENOSPC\); the run's results were written to stdout as JSON instead\n  fix: free space/,
    )
    noStack(r.stderr)
    const printed = JSON.parse(r.stdout) as Results
    assert.equal(validateResults(printed), null)
    assert.ok((printed.figures['load.get.requests']!.value as number) > 0)
    const [run] = readdirSync(join(disk, '.golive/runs'))
    const left = readdirSync(join(disk, '.golive/runs', run!))
    assert.deepEqual(left, ['.golive-run'], `no truncated or temporary file: ${left}`)
    assert.ok(!existsSync(join(disk, '.golive/runs/latest')), 'latest is not moved to a run that was not written')
  } finally {
    await server.close()
    execFileSync('umount', [disk])
  }
})

test('a read-only folder (a read-only tmpfs: chmod does not stop root): --out refused with the fix before anything runs', async (t) => {
  const dir = tmp()
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir], { stdio: 'ignore' })
  } catch {
    t.skip('mount -t tmpfs is not allowed here')
    return
  }
  try {
    const r = await golive(['loadtest', '--target', 'http://127.0.0.1:9/', '--out', join(dir, 'run')])
    assert.equal(r.code, 2)
    assert.match(r.stderr, /cannot use --out .*run: the file system is read-only \(EROFS\)\n  fix: point --out/)
    const from = join(tmp(), 'results.json')
    writeFileSync(from, JSON.stringify(fixtureResults()))
    const g = await golive(['gate', '--from', from, '--out', join(dir, 'new')], { cwd: tmp() })
    assert.equal(g.code, 2, g.stderr)
    assert.match(g.stderr, /cannot use --out .*new: the file system is read-only \(EROFS\)/)
    noStack(g.stderr)
  } finally {
    execFileSync('umount', [dir])
  }
})

test('golive gate --from a crafted results.json with a negative latency: exit 2, the place named', async () => {
  const cwd = tmp()
  const r = fixtureResults()
  r.scenarios[0]!.latency!.p95 = -1e308
  writeFileSync(join(cwd, 'results.json'), JSON.stringify(r))
  const g = await golive(['gate', '--from', 'results.json'], { cwd })
  assert.equal(g.code, 2)
  assert.match(g.stderr, /results\.json: not a golive results\.json: \/scenarios\/0\/latency\/p95 must be >= 0/)
  noStack(g.stderr)
})

test('--target http://user:pass@host/base keeps the base path and sends the userinfo as basic auth, never shown', async () => {
  const seen: { path: string; auth: string | undefined }[] = []
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization })
    res.end('ok')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  const cwd = tmp()
  try {
    const basic = `Basic ${Buffer.from('ann:s3cr%t').toString('base64')}`
    // no scenario: users GET the URL itself
    const a = await golive(['loadtest', '--target', `http://ann:s3cr%25t@127.0.0.1:${port}/base/ping?x=1`, '--vus', '1', '--iterations', '2', '--out', 'a'], {
      cwd,
    })
    assert.equal(a.code, 0, a.stderr)
    assert.deepEqual(
      seen.map((s) => [s.path, s.auth]),
      [
        ['/base/ping?x=1', basic],
        ['/base/ping?x=1', basic],
      ],
    )
    // a scenario: its step paths are joined to the base path
    writeFileSync(
      join(cwd, 'api.ts'),
      `export default { name: 'api', profile: { model: 'closed', vus: 1, duration: '1s' }, steps: [{ name: 'items', path: '/items' }] }\n`,
    )
    seen.length = 0
    const b = await golive(
      ['loadtest', '--target', `http://ann:s3cr%25t@127.0.0.1:${port}/base/`, '--scenario', './api.ts', '--iterations', '1', '--out', 'b'],
      { cwd },
    )
    // one user: the go-live preset's 100-user gate on the main scenario (api) says no-go
    assert.equal(b.code, 1, b.stderr)
    assert.match(b.stdout, /load\.api\.vus_max/)
    assert.deepEqual(
      seen.map((s) => [s.path, s.auth]),
      [['/base/items', basic]],
    )
    for (const dir of ['a', 'b']) {
      for (const f of readdirSync(join(cwd, dir))) assert.doesNotMatch(readFileSync(join(cwd, dir, f), 'utf8'), /s3cr|ann:/, `${dir}/${f} shows no userinfo`)
    }
    assert.doesNotMatch(a.stderr + a.stdout + b.stderr + b.stdout, /s3cr|ann:/)
  } finally {
    server.close()
  }
})

test('every --out creates its folder: gate --from, report, checklist, k6 build', async () => {
  const cwd = tmp()
  writeFileSync(join(cwd, 'results.json'), JSON.stringify(fixtureResults()))
  const runs: [string[], string][] = [
    [['gate', '--from', 'results.json', '--out', 'g/new'], 'g/new/scorecard.json'],
    [['report', '--from', 'results.json', '--format', 'markdown', '--out', 'r/new'], 'r/new/report.md'],
    [['checklist', '--from', 'results.json', '--out', 'c/new'], 'c/new/checklist.md'],
    [['k6', 'build', 'smoke', '--out', 'k/new/smoke.js'], 'k/new/smoke.js'],
  ]
  for (const [args, file] of runs) {
    const r = await golive(args, { cwd })
    assert.ok(r.code === 0 || r.code === 1, `${args.join(' ')}: ${r.stderr}`)
    noStack(r.stderr)
    assert.ok(statSync(join(cwd, file)).size > 0, file)
    assert.deepEqual(
      readdirSync(join(cwd, file, '..')).filter((n) => n.endsWith('.tmp')),
      [],
      'no temporary file left',
    )
  }
})
