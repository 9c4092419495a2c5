// Runs the built CLI (dist/cli.js, made by `npm test`'s pretest) as a user would.

import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export function golive(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; onStart?: (p: ChildProcess) => void; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, CI: 'true', GITHUB_STEP_SUMMARY: '', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = '',
      stderr = ''
    p.stdout.on('data', (d) => {
      stdout += d
    })
    p.stderr.on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => {
      p.kill('SIGKILL')
      reject(new Error(`golive ${args.join(' ')} did not finish\n${stderr}`))
    }, opts.timeoutMs ?? 120_000)
    p.on('error', reject)
    p.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
    opts.onStart?.(p)
  })
}
