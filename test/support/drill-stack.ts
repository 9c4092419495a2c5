// A native staging stack for the drill truth tests (base port 29400, its own state directory),
// and a config whose environments point drills at it. `golive drill` runs as a user would.

import { testPort } from './ports.js'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { golive } from './cli.js'
import type { CheckResult } from '../../core/results.js'
import type { StackState } from '../../staging/native/state.js'

export const DRILL_BASE_PORT = testPort(29400)

export interface DrillRun {
  code: number | null
  result: CheckResult
  stderr: string
}

export interface DrillStack {
  dir: string
  stagingDir: string
  /** a config with one environment 'drills' whose checks.<id> settings are these */
  config(name: string, checks: Record<string, Record<string, unknown>>): string
  drill(id: string, config: string, opts?: { onStart?: (p: ChildProcess) => void; extra?: string[] }): Promise<DrillRun>
  state(): StackState
  status(): Promise<{ code: number | null; stdout: string }>
  down(): Promise<void>
}

export async function startDrillStack(): Promise<DrillStack> {
  const dir = mkdtempSync(join(tmpdir(), 'golive-drills-'))
  // PostgreSQL runs as the postgres user when we are root: it must pass through
  chmodSync(dir, 0o755)
  const stagingDir = join(dir, 'stack')
  const stackArgs = ['--state-dir', stagingDir]
  const up = await golive(['staging', 'up', ...stackArgs, '--base-port', String(DRILL_BASE_PORT), '--seed-orders', '5000'], { timeoutMs: 90_000 })
  if (up.code !== 0) {
    await golive(['staging', 'down', ...stackArgs], { timeoutMs: 60_000 }).catch(() => {})
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`staging up failed:\n${up.stderr}${up.stdout}`)
  }
  return {
    dir,
    stagingDir,
    config(name, checks) {
      const file = join(dir, `${name}.golive.json`)
      const withDir = Object.fromEntries(Object.entries(checks).map(([id, s]) => [id, { stagingDir, ...s }]))
      writeFileSync(
        file,
        JSON.stringify(
          {
            defaultEnv: 'drills',
            environments: {
              drills: { baseUrl: `https://127.0.0.1:${DRILL_BASE_PORT}`, ca: join(stagingDir, 'tls', 'ca.pem'), allowDrills: true, checks: withDir },
            },
          },
          null,
          2,
        ),
      )
      return file
    },
    async drill(id, config, opts = {}) {
      const r = await golive(['drill', id, '--config', config, '--out', join(dir, 'runs'), ...(opts.extra ?? [])], {
        timeoutMs: 120_000,
        onStart: opts.onStart,
      })
      let result: CheckResult
      try {
        result = JSON.parse(r.stdout) as CheckResult
      } catch {
        throw new Error(`golive drill ${id} printed no result (exit ${r.code}):\n${r.stderr}\n${r.stdout}`)
      }
      return { code: r.code, result, stderr: r.stderr }
    },
    state: () => JSON.parse(readFileSync(join(stagingDir, 'state.json'), 'utf8')) as StackState,
    status: () => golive(['staging', 'status', ...stackArgs]),
    async down() {
      const r = await golive(['staging', 'down', ...stackArgs], { timeoutMs: 60_000 })
      if (r.code !== 0) process.stderr.write(`staging down: ${r.stderr}`)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
