// Runs the rollbacks a killed golive process left in an environment's drill journal, before
// anything else touches that environment (golive drill, run, check; golive drill --recover does
// only this). An entry whose rollback succeeds goes; one that fails stays for the next attempt.

import type { StackPort } from '../../core/stack.js'
import { fromJournal, runAction } from '../actions/run.js'
import { Journal, journalDir, type JournalEntry } from './journal.js'

export interface Recovery {
  /** entries found (live ones of a drill still running elsewhere excluded) */
  pending: number
  recovered: string[]
  failed: string[]
  /** entries of a golive process that still runs: left to it */
  live: string[]
}

const label = (e: JournalEntry) => `${e.check}/${e.experiment} (fault ${e.fault.join(' → ') || '?'}, left by pid ${e.pid} at ${e.at})`

/** `stack`: golive's staging stack (cli's port), for staging rollbacks */
export async function recoverPending(configDir: string, envName: string, log: (line: string) => void, stack?: StackPort): Promise<Recovery> {
  const journal = new Journal(journalDir(configDir, envName))
  const out: Recovery = { pending: 0, recovered: [], failed: [], live: [] }
  for (const { entry, live } of journal.entries()) {
    if (live) {
      out.live.push(label(entry))
      continue
    }
    out.pending++
    log(
      `golive: environment '${envName}': a drill was killed before its rollback; running the pending rollback of ${label(entry)}: ${entry.rollback.length ? describe(entry) : '(no rollback actions)'}`,
    )
    const problem = await rollBack(entry, stack)
    if (problem) {
      out.failed.push(`${label(entry)}: ${problem}`)
      log(
        `golive: ROLLBACK FAILED for ${entry.check}/${entry.experiment}: ${problem}; it stays pending ` +
          `(golive drill --recover retries it; once you have restored the system by hand, delete ${journal.dir}/${entry.id}.json)`,
      )
    } else {
      journal.remove(entry.id)
      out.recovered.push(label(entry))
    }
  }
  for (const l of out.live) log(`golive: environment '${envName}': a drill is in progress in another golive process (${l}); its rollback is left to it`)
  return out
}

function describe(e: JournalEntry): string {
  return e.rollback.map((a) => fromJournal(a).text).join(' → ')
}

/** null when every rollback action succeeded, else what failed. Every action runs, whatever
 *  happened to the one before (as in a drill's own rollback), through the one action runner. */
async function rollBack(e: JournalEntry, stack: StackPort | undefined): Promise<string | null> {
  const problems: string[] = []
  const cwd = process.cwd()
  try {
    process.chdir(e.cwd)
  } catch {
    /* the folder is gone: run where we are */
  }
  try {
    for (const raw of e.rollback) {
      const a = fromJournal(raw)
      // an alert drill's staging action of an older golive carried its folder itself
      const stagingDir = e.stagingDir ?? (raw as { stateDir?: string }).stateDir
      const budget = AbortSignal.timeout(('timeoutSeconds' in a ? a.timeoutSeconds : 300) * 1000 + 5000)
      const r = await runAction(a, { signal: budget, ...(stagingDir ? { stagingDir } : {}), ...(stack ? { stack } : {}) })
      if (!r.ok) problems.push(`${r.action}: ${r.error}`)
    }
  } finally {
    process.chdir(cwd)
  }
  return problems.length ? problems.join('; ') : null
}
