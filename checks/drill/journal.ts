// The drill journal: before a drill applies a fault it records the fault and the rollback that
// undoes it, one fsync'd file per entry (file and directory synced, so a power cut or a SIGKILL
// right after the write still finds it); the rollback's success removes the entry. A golive
// process killed mid-drill (kill -9, OOM, a CI runner torn down) leaves its entry behind, and
// the next golive command against that environment runs the pending rollbacks (recover.ts).
// Storage only: what an action is and how it runs is the caller's business.

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'

export interface JournalEntry {
  id: string
  /** the check that applied the fault: failover, rolling-restart, alerts */
  check: string
  experiment: string
  env: string
  /** the golive process that applied it, and that process's start time (pid reuse) */
  pid: number
  pidStart: string | null
  at: string
  /** the fault, in words */
  fault: string[]
  /** what undoes it: actions as the check's own parser made them (plain JSON), run in `cwd` */
  rollback: unknown[]
  /** which check wrote it: 'drill' (failover, rolling-restart) or 'alerts'; both hold actions of checks/actions/model.ts (older shapes: fromJournal) */
  runner: 'drill' | 'alerts'
  /** for drill staging actions */
  stagingDir?: string
  cwd: string
}

/** Where an environment's journal lives: beside the config file, like the run history. */
export function journalDir(configDir: string, envName: string): string {
  return join(configDir, '.golive', 'journal', envName.replace(/[^A-Za-z0-9._-]/g, '_'))
}

/** A process's start time (field 22 of /proc/<pid>/stat), to tell a live drill from a reused pid. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

export class Journal {
  constructor(readonly dir: string) {}

  /** Records an entry durably before the fault; returns its id. Throws when it cannot (then
   *  the fault must not be applied). */
  add(e: Omit<JournalEntry, 'id' | 'pid' | 'pidStart' | 'at' | 'cwd'>): string {
    mkdirSync(this.dir, { recursive: true })
    const entry: JournalEntry = {
      id: `${Date.now()}-${randomUUID().slice(0, 8)}`,
      pid: process.pid,
      pidStart: processStart(process.pid),
      at: new Date().toISOString(),
      cwd: process.cwd(),
      ...e,
    }
    const file = join(this.dir, `${entry.id}.json`)
    const tmp = `${file}.tmp`
    const fd = openSync(tmp, 'w')
    try {
      writeSync(fd, JSON.stringify(entry, null, 2))
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, file)
    this.syncDir()
    return entry.id
  }

  /** The rollback succeeded: the entry goes (durably). */
  remove(id: string): void {
    try {
      unlinkSync(join(this.dir, `${id}.json`))
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    }
    this.syncDir()
  }

  /** Every entry, oldest first; `live` marks those whose golive process still runs (a drill
   *  in progress in another terminal: its rollback is that process's to run). */
  entries(): { entry: JournalEntry; live: boolean }[] {
    if (!existsSync(this.dir)) return []
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .flatMap((f) => {
        try {
          const entry = JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as JournalEntry
          const live = entry.pid !== process.pid && entry.pidStart !== null && processStart(entry.pid) === entry.pidStart
          return [{ entry, live }]
        } catch {
          return []
        }
      })
  }

  private syncDir(): void {
    const fd = openSync(this.dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  }
}
