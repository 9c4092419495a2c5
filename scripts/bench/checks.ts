// The checks side of the bench: golive's tls check against testssl.sh on the same endpoint
// (seconds, and the grade where testssl.sh rates: 3.1 and later), and `golive run` of every check
// staging-local enables, no load scenario, with the seconds each check took.

import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, collect } from './children.js'

const CLI = join(ROOT, 'dist', 'cli.js')

export interface Timed {
  label: string
  seconds: number
  grade: string | null
  note?: string
}
export interface RunTimes {
  wallS: number
  verdict: string
  checks: { id: string; status: string; seconds: number }[]
}

async function timed(cmd: string, args: string[], limitS: number): Promise<{ seconds: number; stdout: string; stderr: string; code: number | null }> {
  const t0 = performance.now()
  const r = await collect(spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT }), limitS)
  return { seconds: (performance.now() - t0) / 1000, ...r }
}

/** `golive staging up` is idempotent: returns whether this call started it (then the bench stops it). */
export async function ensureStaging(): Promise<boolean> {
  const status = spawnSync(process.execPath, [CLI, 'staging', 'status'], { cwd: ROOT, encoding: 'utf8' })
  if (status.status === 0) return false
  const up = await timed(process.execPath, [CLI, 'staging', 'up'], 120)
  if (up.code !== 0) throw new Error(`golive staging up failed: ${up.stderr}${up.stdout}`)
  return true
}

export async function stagingDown(): Promise<void> {
  await timed(process.execPath, [CLI, 'staging', 'down'], 120)
}

/** golive check tls (median of `rounds`) and testssl.sh once, against the staging edge. */
export async function tlsVsTestssl(origin: string, ca: string, rounds: number): Promise<Timed[]> {
  const golive: number[] = []
  let grade: string | null = null
  for (let i = 0; i < rounds; i++) {
    const r = await timed(process.execPath, [CLI, 'check', 'tls', '--target', origin, '--ca', ca, '--format', 'json'], 120)
    if (r.code !== 0) throw new Error(`golive check tls failed: ${r.stderr}`)
    grade = (JSON.parse(r.stdout) as { figures: { grade: { value: string } } }).figures.grade.value
    golive.push(r.seconds)
  }
  golive.sort((a, b) => a - b)
  const out: Timed[] = [{ label: `golive check tls (median of ${rounds})`, seconds: golive[Math.floor((rounds - 1) / 2)]!, grade }]
  const testssl = ['testssl', 'testssl.sh'].find((c) => spawnSync(c, ['--version'], { encoding: 'utf8' }).status === 0)
  if (!testssl) return [...out, { label: 'testssl.sh', seconds: NaN, grade: null, note: 'not installed (apt-get install testssl.sh)' }]
  const version =
    /testssl(?:\.sh)?\s+(?:version\s+)?(\d[\w.-]*)/i.exec(
      spawnSync(testssl, ['--version'], { encoding: 'utf8' }).stdout.replace(/\u001b\[[0-9;]*m/g, ''),
    )?.[1] ?? '?'
  const dir = mkdtempSync(join(tmpdir(), 'golive-bench-testssl-'))
  try {
    const json = join(dir, 'out.json')
    const r = await timed(testssl, ['--quiet', '--color', '0', '--warnings', 'off', '--add-ca', ca, '--jsonfile', json, origin.replace(/^https:\/\//, '')], 600)
    let tsGrade: string | null = null
    try {
      const findings = JSON.parse(readFileSync(json, 'utf8')) as { id: string; finding: string }[]
      tsGrade = findings.find((f) => f.id === 'overall_grade')?.finding ?? null
    } catch {
      /* no JSON: the note says so */
    }
    return [
      ...out,
      {
        label: `testssl.sh ${version} (full default scan)`,
        seconds: r.seconds,
        grade: tsGrade,
        ...(tsGrade ? {} : { note: `no rating in testssl.sh ${version} (ratings came with 3.1)` }),
      },
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** `golive run --env staging-local --only <its checks>`: wall time, and each check's seconds. */
export async function runChecks(checkIds: string[]): Promise<RunTimes> {
  const dir = mkdtempSync(join(tmpdir(), 'golive-bench-run-'))
  try {
    const r = await timed(process.execPath, [CLI, 'run', '--env', 'staging-local', '--only', checkIds.join(','), '--out', dir, '--ci'], 900)
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { checks: { id: string; status: string; durationMs: number }[] }
    const card = JSON.parse(readFileSync(join(dir, 'scorecard.json'), 'utf8')) as { verdict: string }
    return { wallS: r.seconds, verdict: card.verdict, checks: results.checks.map((c) => ({ id: c.id, status: c.status, seconds: c.durationMs / 1000 })) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function checksMarkdown(tls: Timed[], run: RunTimes | null, checkIds: string[]): string {
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '—')
  const out = [
    '| TLS grading, staging edge | seconds | grade | note |',
    '|---|---:|---|---|',
    ...tls.map((t) => `| ${t.label} | ${f(t.seconds)} | ${t.grade ?? '—'} | ${t.note ?? ''} |`),
  ]
  if (run) {
    const total = run.checks.reduce((a, c) => a + c.seconds, 0)
    out.push(
      '',
      `\`golive run --env staging-local --only ${checkIds.join(',')}\` (every check staging-local enables, no load scenario): ` +
        `**${f(run.wallS)} s** wall time, verdict ${run.verdict.toUpperCase()}; goal < 60 s: ${run.wallS < 60 ? '**PASS**' : '**MISS**'}`,
      '',
      '| check | status | seconds |',
      '|---|---|---:|',
      ...run.checks.map((c) => `| ${c.id} | ${c.status} | ${f(c.seconds)} |`),
      `| (sum of checks) | | ${f(total)} |`,
    )
  }
  return out.join('\n')
}
