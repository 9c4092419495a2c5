// Runs the rollbacks a killed golive process left in an environment's drill journal, before
// anything else touches that environment (golive drill, run, check; golive drill --recover does
// only this). An entry whose rollback succeeds goes; one that fails stays for the next attempt.

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

export async function recoverPending(configDir: string, envName: string, log: (line: string) => void): Promise<Recovery> {
  const journal = new Journal(journalDir(configDir, envName))
  const out: Recovery = { pending: 0, recovered: [], failed: [], live: [] }
  for (const { entry, live } of journal.entries()) {
    if (live) { out.live.push(label(entry)); continue }
    out.pending++
    log(`golive: environment '${envName}': a drill was killed before its rollback; running the pending rollback of ${label(entry)}: ${entry.rollback.length ? describe(entry) : '(no rollback actions)'}`)
    const problem = await rollBack(entry)
    if (problem) {
      out.failed.push(`${label(entry)}: ${problem}`)
      log(`golive: ROLLBACK FAILED for ${entry.check}/${entry.experiment}: ${problem}; it stays pending (golive drill --recover retries it; once you have restored the system by hand, delete ${journal.dir}/${entry.id}.json)`)
    } else {
      journal.remove(entry.id)
      out.recovered.push(label(entry))
    }
  }
  for (const l of out.live) log(`golive: environment '${envName}': a drill is in progress in another golive process (${l}); its rollback is left to it`)
  return out
}

function describe(e: JournalEntry): string {
  return e.rollback.map((a) => (a as { text?: string; argv?: string[]; fault?: string }).text ?? (a as { argv?: string[] }).argv?.join(' ') ?? `staging ${(a as { fault?: string }).fault}`).join(' → ')
}

/** null when every rollback action succeeded, else what failed. Every action runs, whatever
 *  happened to the one before (as in a drill's own rollback). */
async function rollBack(e: JournalEntry): Promise<string | null> {
  const problems: string[] = []
  const cwd = process.cwd()
  try { process.chdir(e.cwd) } catch { /* the folder is gone: run where we are */ }
  try {
    if (e.runner === 'alerts') {
      const { runAction } = await import('../alerts/actions.js')
      for (const a of e.rollback) {
        try { await runAction(a as Parameters<typeof runAction>[0]) } catch (err) { problems.push((err as Error).message) }
      }
    } else {
      const { runAction } = await import('./actions.js')
      for (const a of e.rollback) {
        const budget = AbortSignal.timeout(((a as { timeoutSeconds?: number }).timeoutSeconds ?? 300) * 1000 + 5000)
        try { await runAction(a as Parameters<typeof runAction>[0], { stagingDir: e.stagingDir ?? '.golive/staging', signal: budget }) } catch (err) { problems.push(`${(a as { text: string }).text}: ${(err as Error).message}`) }
      }
    }
  } finally { process.chdir(cwd) }
  return problems.length ? problems.join('; ') : null
}
