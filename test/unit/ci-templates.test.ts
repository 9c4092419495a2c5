// The CI templates must work as pasted: the GitHub workflow passes actionlint (expressions,
// action inputs, shell), both templates install what the stack needs, keep the run history
// between nights, always upload the reports and stop the stack, and every golive command they
// run is one this CLI accepts with those options.

import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { DEBIAN_PACKAGES } from '../../staging/native/programs.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const GITHUB = `${root}.github/workflows/golive-nightly.yml`
const GITLAB = `${root}.gitlab/golive-nightly.gitlab-ci.yml`
const CLI = `${root}dist/cli.js`

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> }

/** `npx --no-install golive <cmd> ...` lines: each option must be one the command's help lists. */
function assertGoliveCommands(script: string, where: string): string[] {
  const lines = script.split('\n').flatMap((l) => [...l.matchAll(/npx --no-install golive ([^;|>&]+)/g)].map((m) => m[1]!.trim()))
  assert.ok(lines.length > 0, `${where}: no golive command`)
  for (const line of lines) {
    const [cmd, ...args] = line.split(/\s+/)
    const help = execFileSync(process.execPath, [CLI, cmd!, '--help'], { encoding: 'utf8' })
    assert.doesNotMatch(help, /^golive: is staging ready/, `${where}: '${cmd}' is not a golive command`)
    for (const opt of args.filter((a) => a.startsWith('--'))) {
      assert.ok(help.includes(opt) || /--env|--ci|--format|--out|--config/.test(opt), `${where}: golive ${cmd} does not take ${opt}`)
    }
  }
  return lines
}

function actionlint(): string | null {
  const local = `${root}.tools/bin/actionlint`
  if (existsSync(local)) return local
  const r = spawnSync('actionlint', ['-version'])
  return r.status === 0 ? 'actionlint' : null
}

describe('GitHub Actions nightly workflow', () => {
  const text = readFileSync(GITHUB, 'utf8')
  const wf = parse(text) as {
    on: Record<string, unknown>
    jobs: Record<string, { steps: Step[]; container?: { image: string }; ['timeout-minutes']?: number }>
    permissions?: unknown
  }
  const job = Object.values(wf.jobs)[0]!
  const steps = job.steps

  it('passes actionlint', { skip: actionlint() === null && process.env.CI !== 'true' ? 'actionlint not installed: npm run install-tools' : false }, () => {
    const bin = actionlint()
    assert.ok(bin, 'actionlint must be installed under CI (npm run install-tools)')
    const r = spawnSync(bin!, ['-no-color', GITHUB], { encoding: 'utf8' })
    assert.equal(r.status, 0, r.stdout + r.stderr)
  })

  it('runs on a schedule and by hand, bounded in time, read-only', () => {
    const cron = (wf.on.schedule as { cron: string }[])[0]!.cron
    assert.equal(cron.trim().split(/\s+/).length, 5)
    assert.ok('workflow_dispatch' in wf.on)
    assert.ok((job['timeout-minutes'] ?? 0) > 0 && job['timeout-minutes']! <= 90)
    assert.deepEqual(wf.permissions, { contents: 'read' })
  })

  it('installs the stack packages, Chromium, Go and k6', () => {
    const apt = steps.map((s) => s.run ?? '').join('\n')
    for (const p of [...DEBIAN_PACKAGES, 'chromium']) assert.match(apt, new RegExp(`\\b${p}\\b`), p)
    assert.ok(steps.some((s) => s.uses?.startsWith('actions/setup-go@')))
    assert.ok(steps.some((s) => /npm run install-k6/.test(s.run ?? '')))
    assert.match(job.container?.image ?? '', /bookworm/, 'Debian 12: the packages above are its names')
  })

  it('judges against last night, keeps the history, and always uploads and cleans up', () => {
    const run = steps.find((s) => /golive run /.test(s.run ?? ''))!
    assert.match(run.run!, /--baseline latest/)
    assert.match(run.run!, /--ci/)
    assert.equal(run.if, undefined, 'the golive step itself fails the job on NO-GO')
    const restore = steps.findIndex((s) => s.uses?.startsWith('actions/cache/restore@'))
    const save = steps.find((s) => s.uses?.startsWith('actions/cache/save@'))!
    assert.ok(restore >= 0 && restore < steps.indexOf(run), 'history restored before the run')
    assert.equal(save.with?.path, '.golive/runs')
    assert.match(save.if ?? '', /always\(\)/)
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!
    assert.match(upload.if ?? '', /always\(\)/)
    assert.match(String(upload.with?.path), /golive-report/)
    const down = steps.find((s) => /staging down/.test(s.run ?? ''))!
    assert.match(down.if ?? '', /always\(\)/)
  })

  it('every golive command in it is one this CLI takes', () => {
    const cmds = assertGoliveCommands(steps.map((s) => s.run ?? '').join('\n'), 'golive-nightly.yml')
    assert.ok(cmds.some((c) => c.startsWith('staging up')) && cmds.some((c) => c.startsWith('history')))
  })
})

describe('GitLab CI nightly template', () => {
  const text = readFileSync(GITLAB, 'utf8')
  const ci = parse(text) as Record<string, unknown>
  const GLOBAL = new Set(['stages', 'variables', 'default', 'include', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script'])
  const JOB_KEYS = new Set([
    'stage',
    'image',
    'timeout',
    'rules',
    'cache',
    'before_script',
    'script',
    'after_script',
    'artifacts',
    'variables',
    'tags',
    'services',
    'needs',
    'retry',
    'interruptible',
  ])
  const jobs = Object.entries(ci).filter(([k]) => !GLOBAL.has(k) && !k.startsWith('.')) as [string, Record<string, unknown>][]

  it('is well formed: known keywords, jobs in declared stages, scripts that parse as shell', () => {
    assert.equal(jobs.length, 1)
    const [name, job] = jobs[0]!
    for (const k of Object.keys(job)) assert.ok(JOB_KEYS.has(k), `${name}: unknown keyword ${k}`)
    assert.ok((ci.stages as string[]).includes(job.stage as string))
    for (const part of ['before_script', 'script', 'after_script'] as const) {
      const lines = job[part] as string[]
      assert.ok(Array.isArray(lines) && lines.every((l) => typeof l === 'string'), `${part} is a list of strings`)
      const r = spawnSync('bash', ['-n'], { input: lines.join('\n'), encoding: 'utf8' })
      assert.equal(r.status, 0, `${part}: ${r.stderr}`)
    }
    for (const rule of job.rules as { if: string }[]) assert.match(rule.if, /^\$CI_PIPELINE_SOURCE == "(schedule|web)"$/)
  })

  it('installs what the stack needs, keeps the history, always keeps the reports, JUnit in the test tab', () => {
    const job = jobs[0]![1] as {
      before_script: string[]
      script: string[]
      after_script: string[]
      cache: { paths: string[]; when: string }
      artifacts: { when: string; paths: string[]; reports: { junit: string } }
    }
    const before = job.before_script.join('\n')
    for (const p of [...DEBIAN_PACKAGES, 'chromium']) assert.match(before, new RegExp(`\\b${p}\\b`), p)
    assert.match(before, /npm run install-k6/)
    assert.match(job.script.join('\n'), /golive run --env "\$GOLIVE_ENV" --baseline latest --ci/)
    assert.deepEqual(job.cache.paths, ['.golive/runs/'])
    assert.equal(job.cache.when, 'always')
    assert.equal(job.artifacts.when, 'always')
    assert.ok(job.artifacts.reports.junit.startsWith(job.artifacts.paths[0]!))
    assert.match(job.after_script.join('\n'), /staging down/)
  })

  it('every golive command in it is one this CLI takes', () => {
    const job = jobs[0]![1] as Record<string, string[]>
    assertGoliveCommands([...job.before_script!, ...job.script!, ...job.after_script!].join('\n'), 'golive-nightly.gitlab-ci.yml')
  })
})
