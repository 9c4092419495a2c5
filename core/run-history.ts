// The history store: a directory of runs (default .golive/runs/<time>/), each with its
// results.json and scorecard.json. Baselines and trends read it; nothing here judges.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { UsageError } from './errors.js'
import { readResults } from './read-results.js'
import type { BaselineInfo, Results, Scorecard } from './results.js'

type Verdict = Scorecard['verdict']

/** One run as the trend view needs it. */
export interface HistoryRun {
  id: string
  startedAt: string
  environment: string
  verdict: Verdict | null
  partial: boolean
  figures: Results['figures']
}

export function historyRun(results: Results, verdict: Verdict | null): HistoryRun {
  const r = results.run
  return { id: r.id, startedAt: r.startedAt, environment: r.environment, verdict, partial: r.partial, figures: results.figures }
}

/** The last `last` runs of one environment (any, when none is named), oldest first, for the trend view. */
export function recentRuns(root: string, environment: string | undefined, last: number): HistoryRun[] {
  return newestRuns(root, (r) => environment === undefined || r.run.environment === environment, last).map((s) => historyRun(s.results, s.verdict))
}

export interface StoredRun {
  dir: string
  results: Results
  /** from the scorecard.json written with the run; null when there is none */
  verdict: Verdict | null
}

/** The newest `limit` readable runs under `root` that `keep` accepts, oldest first. Run
 *  directories are named by their start time, so they are read newest first and reading stops
 *  once enough are found: a long history is not parsed whole on every run. A directory that is
 *  not readable (a crash before results.json, a hand-edited file) is passed over, not fatal.
 *  results.json is written by rename, so a run finishing meanwhile is seen whole or not at all;
 *  dot-names are another run's temporary files. */
export function newestRuns(root: string, keep: (r: Results) => boolean, limit: number): StoredRun[] {
  if (!existsSync(root)) return []
  const runs: StoredRun[] = []
  for (const name of readdirSync(root)
    .filter((n) => n !== 'latest' && !n.startsWith('.'))
    .sort()
    .reverse()) {
    if (runs.length >= limit) break
    const dir = join(root, name)
    try {
      if (!statSync(dir).isDirectory() || !existsSync(join(dir, 'results.json'))) continue
      const results = readResults(join(dir, 'results.json'))
      if (keep(results)) runs.push({ dir, results, verdict: readVerdict(dir) })
    } catch {
      /* not a run we can read */
    }
  }
  return runs.reverse()
}

function readVerdict(dir: string): Verdict | null {
  try {
    const v = (JSON.parse(readFileSync(join(dir, 'scorecard.json'), 'utf8')) as { verdict?: unknown }).verdict
    return v === 'go' || v === 'no-go' ? v : null
  } catch {
    return null
  }
}

export interface BaselineChoice {
  baseline: BaselineInfo | null
  /** said on stderr when there is none yet (a first nightly run): not an error */
  note?: string
}

/** `--baseline latest | <runs dir> | <run dir> | <results.json>`. 'latest' and a runs directory
 *  give the newest complete run of the same environment (a partial one measured too little to
 *  compare with); an explicit
 *  file or run directory is used as given. A path that does not exist is a usage error; an empty
 *  history is not (the first nightly run has nothing to compare with). */
export function chooseBaseline(arg: string, runsRoot: string, cwd: string, environment: string, excludeRunId?: string): BaselineChoice {
  const root = arg === 'latest' ? resolve(cwd, runsRoot) : resolve(cwd, arg)
  if (arg !== 'latest' && !existsSync(root)) {
    throw new UsageError(`--baseline ${arg}: no such file or directory`, 'pass latest, a runs directory (.golive/runs), a run directory, or a results.json')
  }
  const isRunsDir = arg === 'latest' || (statSync(root).isDirectory() && !existsSync(join(root, 'results.json')))
  if (!isRunsDir) return { baseline: toBaseline(readResults(root), arg) }
  // never the run being judged (golive gate --from latest/results.json --baseline latest)
  // the same environment only: last night's staging, not this morning's demo run
  const [newest] = newestRuns(root, (r) => !r.run.partial && r.run.id !== excludeRunId && r.run.environment === environment, 1)
  if (!newest)
    return { baseline: null, note: `--baseline ${arg}: no complete earlier run of ${environment} in ${root} yet; regression gates read "not run" this time` }
  return { baseline: toBaseline(newest.results, join(newest.dir, 'results.json')) }
}

export function toBaseline(r: Results, from: string): BaselineInfo {
  return { id: r.run.id, startedAt: r.run.startedAt, environment: r.run.environment, from, figures: r.figures }
}
