// Writing output files honestly: each file is written to a temporary name in the same folder,
// flushed, and renamed over the final name, so a full disk or a kill leaves the old file or none,
// never a truncated one. A file-system error becomes one message with the path and the fix.

import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { UsageError } from '../core/errors.js'

const REASONS: Record<string, [string, string]> = {
  ENOSPC: ['the disk is full', 'free space on that disk, or point --out / outDir at another one'],
  EDQUOT: ['the disk quota is used up', 'free space within your quota, or point --out / outDir elsewhere'],
  EACCES: ['permission denied', 'make the folder writable for this user, or point --out / outDir at a folder you may write'],
  EPERM: ['operation not permitted', 'make the folder writable for this user, or point --out / outDir at a folder you may write'],
  EROFS: ['the file system is read-only', 'point --out / outDir at a writable folder'],
  ELOOP: ['the path is a symlink loop', 'remove or fix the symlink, or point --out / outDir at a real folder'],
  EISDIR: ['a folder is in the way of a file', 'move that folder away, or point --out at another folder'],
  ENOTDIR: ['part of the path is a file, not a folder', 'pass a folder path (a file of that name is in the way), or move the file'],
  EEXIST: ['a file of that name is in the way of a folder', 'pass a folder path, or move the file away'],
  ENAMETOOLONG: ['the path is too long', 'use a shorter --out / outDir'],
}

export class IoError extends UsageError {
  constructor(
    message: string,
    hint: string,
    readonly code: string,
  ) {
    super(message, hint)
  }
}

export function isIoError(e: unknown): e is IoError {
  return e instanceof IoError
}

/** An fs error as a usage error (exit 2) naming the path and the fix; other errors pass through. */
export function ioError(e: unknown, path: string, action: string): Error {
  if (e instanceof UsageError) return e
  const code = (e as NodeJS.ErrnoException)?.code
  const known = code ? REASONS[code] : undefined
  if (!code || !known) {
    if (code) return new IoError(`cannot ${action} ${path}: ${(e as Error).message}`, 'check the path and the disk, or point --out / outDir elsewhere', code)
    return e as Error
  }
  return new IoError(`cannot ${action} ${path}: ${known[0]} (${code})`, known[1], code)
}

/** The folder exists (made with its parents) and can be written, or a usage error says why. */
export function ensureDir(dir: string, what: string): void {
  try {
    try {
      mkdirSync(dir, { recursive: true })
    } catch (e) {
      // a recursive mkdir on a read-only file system says ENOENT: ask the nearest existing folder
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') accessSync(nearestExisting(dir), constants.W_OK)
      throw e
    }
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'EEXIST' })
    accessSync(dir, constants.W_OK)
  } catch (e) {
    const err = ioError(e, dir, `use ${what}`)
    throw err
  }
}

function nearestExisting(dir: string): string {
  let d = dir
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d)
  return d
}

/** content → path, whole or not at all. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`)
  let fd: number | undefined
  try {
    fd = openSync(tmp, 'wx', 0o644)
    const buf = typeof content === 'string' ? Buffer.from(content) : content
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off)
    fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    renameSync(tmp, path)
  } catch (e) {
    if (fd !== undefined)
      try {
        closeSync(fd)
      } catch {
        /* already failing */
      }
    rmSync(tmp, { force: true })
    throw ioError(e, path, 'write')
  }
}
