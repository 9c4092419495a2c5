// Memory of the browsers golive started: the proportional set size (PSS: shared pages split
// between the processes sharing them) of every process descending from this one, from /proc.
// And the fit check: a user count whose browsers would not fit in the memory available is
// refused before anything starts, with the numbers.

import { readdirSync, readFileSync } from 'node:fs'
import { freemem } from 'node:os'
import { UsageError } from '../../../core/errors.js'

/** Measured with scripts/bench-browser-memory.ts (docs/browser.md, "Limits"), rounded up: one
 *  headless Chromium once pages run in it (its GPU, network and utility processes: 242 MiB),
 *  and each browser user on top (a context, its renderer, the trace: 93 MiB), PSS in MiB. */
export const BROWSER_MIB = 250
export const USER_MIB = 100

/** Children of each pid, from /proc/<pid>/stat (Linux); empty elsewhere. */
function childrenOf(): Map<number, number[]> {
  const kids = new Map<number, number[]>()
  let pids: string[] = []
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
  } catch {
    return kids
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      const list = kids.get(ppid) ?? []
      list.push(Number(pid))
      kids.set(ppid, list)
    } catch {
      /* gone */
    }
  }
  return kids
}

/** Pids descending from `root` (not itself). */
export function descendants(root = process.pid): number[] {
  const kids = childrenOf()
  const out: number[] = []
  const stack = [...(kids.get(root) ?? [])]
  while (stack.length) {
    const pid = stack.pop()!
    out.push(pid)
    stack.push(...(kids.get(pid) ?? []))
  }
  return out
}

/** This process's own Chromium children (the browser processes chromium.launch started). */
export function chromiumChildren(): number[] {
  return (childrenOf().get(process.pid) ?? []).filter((pid) => {
    try {
      return /chrom/i.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))
    } catch {
      return false
    }
  })
}

/** Is the process there and not a zombie? (true where /proc cannot say) */
export function processAlive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT'
  }
}

/** PSS in MiB of this process's descendants; null where /proc cannot say. */
export function descendantsPssMiB(root = process.pid): number | null {
  let kb = 0,
    read = 0
  for (const pid of descendants(root)) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
      if (m) {
        kb += Number(m[1])
        read++
      }
    } catch {
      /* gone, or not ours to read */
    }
  }
  return read ? Math.round(kb / 1024) : null
}

/** MemAvailable (what can be used without swapping), in MiB. */
export function availableMiB(): number {
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))
    if (m) return Math.floor(Number(m[1]) / 1024)
  } catch {
    /* not Linux */
  }
  return Math.floor(freemem() / 2 ** 20)
}

/** Refuses a user count whose browsers would not fit in the memory available. `browsersFor`
 *  says how many Chromium processes u users get (one per 5 by default). */
export function assertFits(
  name: string,
  users: number,
  browsersFor: (u: number) => number,
  available = availableMiB(),
): { neededMiB: number; availableMiB: number } {
  const need = (u: number) => browsersFor(u) * BROWSER_MIB + u * USER_MIB
  const needed = need(users)
  if (needed > available) {
    const browsers = browsersFor(users)
    let fit = Math.min(users - 1, Math.floor(available / USER_MIB))
    while (fit > 0 && need(fit) > available) fit--
    throw new UsageError(
      `browser scenario ${name}: ${users} browser users need about ${needed} MiB ` +
        `(${browsers} browser${browsers === 1 ? '' : 's'} × ${BROWSER_MIB} MiB + ${users} users × ${USER_MIB} MiB, measured: docs/browser.md), ` +
        `and this machine has ${available} MiB available`,
      fit > 0
        ? `use at most ${fit} browser users here (--vus ${fit}), or run the browser users on a machine with more memory`
        : 'free memory, or run the browser users on a machine with more memory',
    )
  }
  return { neededMiB: needed, availableMiB: available }
}
