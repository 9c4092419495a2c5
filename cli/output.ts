// Where a run's files go: --out DIR, or <outDir>/<timestamp>/ with <outDir>/latest pointing at it.

import { appendFileSync, cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export function runDirectory(out: string | undefined, outDir: string, cwd: string, startedAt: Date): { dir: string; latest: string | null } {
  if (out) {
    const dir = resolve(cwd, out)
    mkdirSync(dir, { recursive: true })
    return { dir, latest: null }
  }
  const root = resolve(cwd, outDir)
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
  const dir = join(root, stamp)
  mkdirSync(dir, { recursive: true })
  return { dir, latest: join(root, 'latest') }
}

/** latest → the newest run: a relative symlink, or a copy where links are not allowed. */
export function pointLatest(latest: string, dir: string): void {
  rmSync(latest, { recursive: true, force: true })
  try {
    symlinkSync(dir.slice(dir.lastIndexOf('/') + 1), latest, 'dir')
  } catch {
    cpSync(dir, latest, { recursive: true })
  }
}

export function writeFiles(dir: string, files: { name: string; content: string }[]): string[] {
  return files.map((f) => {
    const path = join(dir, f.name)
    writeFileSync(path, f.content)
    return path
  })
}

/** GitHub Actions shows this file on the run's page. */
export function appendStepSummary(markdown: string): string | null {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) return null
  try { appendFileSync(file, `${markdown}\n`); return file } catch { return null }
}
