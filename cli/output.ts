// Where a run's files go: --out DIR, or <outDir>/<timestamp>/ with <outDir>/latest pointing at it.
// golive deletes or replaces only what it made: run directories carry a marker file, and latest
// is replaced only when it is a symlink golive made (a bare run name) or a marked copy.

import { appendFileSync, cpSync, existsSync, lstatSync, mkdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { UsageError } from '../core/errors.js'
import { ensureDir, ioError, writeFileAtomic } from './write-atomic.js'

export { ensureDir, ioError, writeFileAtomic, isIoError } from './write-atomic.js'

/** The file that says "golive made this run directory": only such directories are ever removed. */
export const RUN_MARKER = '.golive-run'

/** Before anything runs: the output folder can be made and written, and latest is ours. */
export function checkOutput(out: string | undefined, outDir: string, cwd: string): void {
  if (out) return ensureDir(resolve(cwd, out), '--out')
  ensureDir(resolve(cwd, outDir), 'outDir')
  assertLatestIsOurs(join(resolve(cwd, outDir), 'latest'))
}

export function runDirectory(out: string | undefined, outDir: string, cwd: string, startedAt: Date): { dir: string; latest: string | null } {
  if (out) {
    const dir = resolve(cwd, out)
    ensureDir(dir, '--out')
    return { dir, latest: null }
  }
  const root = resolve(cwd, outDir)
  ensureDir(root, 'outDir')
  const latest = join(root, 'latest')
  assertLatestIsOurs(latest)
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
  // two runs started in the same millisecond each get their own directory
  for (let n = 1; ; n++) {
    const dir = join(root, n === 1 ? stamp : `${stamp}-${n}`)
    try {
      mkdirSync(dir)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && n < 100) continue
      throw ioError(e, dir, 'create the run directory')
    }
    writeFileAtomic(join(dir, RUN_MARKER), `${JSON.stringify({ golive: true, startedAt: startedAt.toISOString(), pid: process.pid })}\n`)
    return { dir, latest }
  }
}

/** latest may be absent, a symlink golive made (a bare run name beside it), or a copy golive made
 *  (where symlinks are not allowed); anything else is the user's, and the run refuses to start. */
export function assertLatestIsOurs(latest: string): void {
  const kind = latestKind(latest)
  if (kind === 'absent' || kind === 'our-link' || kind === 'our-copy') return
  throw new UsageError(
    `${latest} is ${kind === 'foreign-link' ? 'a symlink' : kind === 'dir' ? 'a folder' : 'a file'} golive did not make; golive points latest at the newest run and will not replace or delete it`,
    `move or rename ${latest}, or set outDir (in the config) or --out to another folder`,
  )
}

type LatestKind = 'absent' | 'our-link' | 'our-copy' | 'foreign-link' | 'dir' | 'file'

function latestKind(latest: string): LatestKind {
  let st
  try {
    st = lstatSync(latest)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent'
    throw ioError(e, latest, 'read')
  }
  if (st.isSymbolicLink()) {
    const to = readlinkSync(latest)
    return to === basename(to) && to !== '' && to !== '.' && to !== '..' ? 'our-link' : 'foreign-link'
  }
  if (st.isDirectory()) return existsSync(join(latest, RUN_MARKER)) ? 'our-copy' : 'dir'
  return 'file'
}

/** latest → the newest run: a fresh relative symlink renamed over the old one (atomic: a reader,
 *  or a second run finishing at the same moment, sees the old run or the new, never neither),
 *  or a marked copy where links are not allowed. */
export function pointLatest(latest: string, dir: string): void {
  assertLatestIsOurs(latest)
  const root = resolve(latest, '..')
  const tmp = join(root, `.latest.${process.pid}.${Math.random().toString(36).slice(2, 8)}`)
  try {
    symlinkSync(basename(dir), tmp, 'dir')
  } catch {
    // no symlinks here (some Windows setups, odd file systems): a copy, marked as ours
    if (latestKind(latest) === 'our-copy') rmSync(latest, { recursive: true, force: true })
    try {
      cpSync(dir, latest, { recursive: true })
    } catch (e) {
      throw ioError(e, latest, 'copy the run to')
    }
    return
  }
  try {
    if (latestKind(latest) === 'our-copy') rmSync(latest, { recursive: true, force: true })
    renameSync(tmp, latest)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw ioError(e, latest, 'point latest at the new run')
  }
}

/** Each file whole or not at all: written beside its final name, then renamed. */
export function writeFiles(dir: string, files: { name: string; content: string }[]): string[] {
  return files.map((f) => {
    const path = join(dir, f.name)
    writeFileAtomic(path, f.content)
    return path
  })
}

/** GitHub Actions shows this file on the run's page. */
export function appendStepSummary(markdown: string): string | null {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) return null
  try {
    appendFileSync(file, `${markdown}\n`)
    return file
  } catch {
    return null
  }
}
