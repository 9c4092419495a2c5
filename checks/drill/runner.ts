// The chaos-experiment runner every drill uses: steady-state probes throughout, a check that
// the steady state holds, the fault, observation until the steady state holds again (N
// consecutive successes) or the deadline, then the rollback, which ALWAYS runs: on success,
// on failure, on error and on an interrupt (Ctrl-C aborts the context's signal). Figures come
// from analyze(), a pure function of the timeline.

import { resolve } from 'node:path'
import { runActions } from '../actions/run.js'
import type { Action, ActionContext, ActionRecord } from '../actions/model.js'
import type { Journal } from './journal.js'
import { analyze, buckets, type DrillFigures } from './analyze.js'
import { Probes } from './probes.js'
import type { DrillSettings } from './settings.js'
import type { HeldLoad, LoadPort, LoadWindow, ServerPort, ServerWindow } from '../../core/check.js'
import type { Detail } from '../../core/results.js'
import { experimentDetails } from './details.js'

export interface Experiment {
  name: string
  fault: Action[]
  rollback: Action[]
  /** a scenario of the environment whose peak users hold while the fault is applied */
  underLoad?: string
}

/** ca: PEM text; headers: the environment's headers and auth (ctx.target's), for origin only */
export interface DrillTarget {
  origin: string
  base: string
  ca?: string
  headers: Record<string, string>
}

export interface DrillOutcome {
  /** null when the fault never ran or failed (the steady state did not hold first, a fault action
   *  failed, or an interrupt came first) */
  figures: DrillFigures | null
  /** what stopped the drill short: the steady state did not hold, a fault action failed */
  problem?: string
  interrupted: boolean
  /** a rollback action failed: the system may be left broken */
  rollbackFailed?: string
  /** the rollback failed and stays in the drill journal (golive drill --recover retries it) */
  journaled?: string
  evidence: Record<string, unknown>
  /** what the reports show of it (checks/drill/details.ts) */
  details: Detail[]
  /** seconds since the drill started: the fault began, its actions ended (absent: not applied) */
  faultAt?: number
  faultDoneAt?: number
  /** the fault's actions, as they ran */
  faultActions: ActionRecord[]
  /** underLoad: the journeys' figures over the fault window (fault to the end of observation) */
  load?: LoadWindow
  /** the environment's server queries over the fault window (fault to the end of observation) */
  server?: ServerWindow
}

const round3 = (n: number) => Math.round(n * 1000) / 1000
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((done) => {
    if (signal.aborted) return done()
    const wake = () => {
      clearTimeout(t)
      signal.removeEventListener('abort', wake)
      done()
    }
    const t = setTimeout(wake, ms)
    signal.addEventListener('abort', wake, { once: true })
  })

/** Where a drill records its fault before applying it (checks/drill/journal.ts). */
export interface JournalHook {
  journal: Journal
  check: string
  env: string
}

export async function runExperiment(
  exp: Experiment,
  s: DrillSettings,
  target: DrillTarget,
  ctx: {
    signal: AbortSignal
    log: (l: string) => void
    journal?: JournalHook
    load?: LoadPort
    server?: ServerPort
    check?: string
    actions?: Omit<ActionContext, 'signal' | 'dry'>
  },
): Promise<DrillOutcome> {
  const acting = { ...ctx.actions, stagingDir: s.stagingDir }
  const t0 = performance.now()
  const now = () => (performance.now() - t0) / 1000
  const log = (l: string) => ctx.log(`[${exp.name} +${now().toFixed(1)} s] ${l}`)
  const probes = new Probes(target.origin, target.base, s.probes, { ca: target.ca, headers: target.headers }, t0)
  let faultAt: number | undefined
  let faultDoneAt: number | undefined
  let endAt = 0
  let problem: string | undefined
  let faultRecords: ActionRecord[] = []
  let rollbackRecords: ActionRecord[] = []
  const verifications: Record<string, unknown> = {}
  let started = false
  let entry: string | undefined
  let held: HeldLoad | undefined
  let loadFaultAt: number | undefined
  let loadEndAt: number | undefined
  let loadProblem: string | undefined
  // the fault window on the wall clock, for Prometheus
  let faultWallMs: number | undefined
  let endWallMs = 0
  try {
    // under load: the scenario's users first, so the steady state must hold under them too
    if (exp.underLoad) {
      if (!ctx.load) throw new Error(`underLoad '${exp.underLoad}': this command drives no load; the fault was not injected`)
      log(`under load: starting scenario ${exp.underLoad}, waiting for its peak users`)
      try {
        held = await ctx.load.hold(exp.underLoad, { maxHoldMs: (s.warmupSeconds + s.deadlineSeconds + 120) * 1000, signal: ctx.signal })
      } catch (e) {
        throw new Error(`underLoad '${exp.underLoad}': ${(e as Error).message}; the fault was not injected`)
      }
      log(`under load: ${held.users} users in ${exp.underLoad}`)
    }
    const notReady = await probes.prepare()
    if (notReady) throw new Error(`the steady state does not hold before the fault: ${notReady}`)
    probes.start()
    started = true
    log(
      `steady-state probes: GET ${target.base}${s.probes.readPath} at ${s.probes.readRps}/s${s.probes.write ? `, POST ${target.base}${s.probes.write.path} at ${s.probes.write.rps}/s` : ''}`,
    )
    await pause(s.warmupSeconds * 1000, ctx.signal)
    if (ctx.signal.aborted) throw new Error('interrupted before the fault')
    const warm = probes.samples.filter((x) => !x.ok)
    if (s.warmupSeconds > 0 && (probes.samples.length === 0 || warm.length > 0)) {
      throw new Error(
        `the steady state does not hold before the fault: ${warm.length} of ${probes.samples.length} probe requests failed in the ${s.warmupSeconds} s warm-up ` +
          `(${[...new Set(warm.map((x) => x.status))].join(', ') || 'no answers'}); the fault was not injected`,
      )
    }
    // the journal first: a process killed from here on leaves its rollback for the next golive
    // command; a journal that cannot be written stops the drill before the fault
    if (ctx.journal) {
      try {
        entry = ctx.journal.journal.add({
          check: ctx.journal.check,
          experiment: exp.name,
          env: ctx.journal.env,
          fault: exp.fault.map((a) => a.text),
          rollback: exp.rollback,
          runner: 'drill',
          stagingDir: resolve(s.stagingDir),
        })
      } catch (e) {
        throw new Error(`the drill journal cannot be written (${(e as Error).message}); the fault was not injected`)
      }
    }
    faultAt = now()
    faultWallMs = Date.now()
    loadFaultAt = held?.now()
    faultRecords = await runActions(exp.fault, { ...acting, signal: ctx.signal }, t0, { stopOnError: true, log, phase: 'fault' })
    faultDoneAt = now()
    const failed = faultRecords.find((r) => !r.ok)
    if (failed) problem = `the fault action '${failed.action}' failed: ${failed.error}`
    // observe: until recoverAfter consecutive successes sent after the fault finished, or the deadline
    let lastLog = now()
    while (!ctx.signal.aborted && !failed) {
      const t = now()
      if (t - faultAt >= s.deadlineSeconds) {
        log(`deadline: ${s.deadlineSeconds} s after the fault`)
        break
      }
      if (t - faultAt >= s.minObserveSeconds && trailingSuccesses(probes, faultDoneAt) >= s.recoverAfter) break
      if (t - lastLog >= 1) {
        lastLog = t
        const since = probes.samples.filter((x) => x.t >= faultAt!)
        log(`observing: ${since.length} probe requests since the fault, ${since.filter((x) => !x.ok).length} failed`)
      }
      await pause(50, ctx.signal)
    }
  } catch (e) {
    problem = (e as Error).message
  } finally {
    endAt = now()
    endWallMs = Date.now()
    // the load stops with the observation: the window is fault → end, and the rollback runs on a quiet system
    if (held) {
      loadEndAt = held.now()
      try {
        await held.stop()
      } catch (e) {
        loadProblem = `the load did not stop cleanly: ${(e as Error).message}`
      }
    }
    if (ctx.signal.aborted) await probes.abort()
    else await probes.stop()
    if (faultAt !== undefined) {
      verifications.afterObservation = await probes.verify(ctx.signal.aborted ? 5000 : 30_000)
    }
    // once a fault was attempted the rollback ALWAYS runs, and runs to its end: an interrupt
    // does not cut it short. No fault attempted, nothing to roll back.
    if (faultAt !== undefined) {
      const budget = AbortSignal.timeout(s.rollbackTimeoutSeconds * 1000 * Math.max(1, exp.rollback.length))
      rollbackRecords = await runActions(exp.rollback, { ...acting, signal: budget }, t0, { stopOnError: false, log, phase: 'rollback' })
      if (entry !== undefined && rollbackRecords.every((r) => r.ok)) ctx.journal!.journal.remove(entry)
      if (rollbackRecords.every((r) => r.ok) && !ctx.signal.aborted) verifications.afterRollback = await probes.verify(30_000)
    }
    await probes.close()
  }
  const rollbackFailed =
    rollbackRecords
      .filter((r) => !r.ok)
      .map((r) => `${r.action}: ${r.error}`)
      .join('; ') || undefined
  // a fault that did not happen measures nothing: no figures (a gate on them fails as missing),
  // unless an interrupt cut it short (then the figures are partial, and say so)
  const faultFailed = faultRecords.some((r) => !r.ok) && !ctx.signal.aborted
  const figures =
    faultAt !== undefined && !faultFailed ? analyze({ samples: probes.samples, writes: probes.writes, faultAt, endAt, recoverAfter: s.recoverAfter }) : null
  const lost = probes.writes.filter((w) => w.found === false)
  const load = figures && held && loadFaultAt !== undefined && loadEndAt !== undefined ? held.window(loadFaultAt, loadEndAt) : undefined
  // asked after the rollback, so asking costs the fault nothing; not cut short by an interrupt
  // (each query has the server block's time limit), so a partial drill still says what the servers did
  const server =
    figures && ctx.server && faultWallMs !== undefined
      ? await ctx.server.window(`${ctx.check ?? 'drill'} experiment ${exp.name}'s fault window`, faultWallMs, endWallMs)
      : undefined
  const timeline = buckets(probes.samples)
  const details = experimentDetails({
    name: exp.name,
    timeline,
    ...(faultAt !== undefined ? { faultAt: round3(faultAt) } : {}),
    ...(faultDoneAt !== undefined ? { faultDoneAt: round3(faultDoneAt) } : {}),
    ...(figures?.recoveredAt !== undefined ? { recoveredAt: figures.recoveredAt } : {}),
    actions: { fault: faultRecords, rollback: rollbackRecords },
    writes: { sent: probes.writes.length, acknowledged: probes.writes.filter((w) => w.id !== undefined).length, lost: lost.length },
    ...(exp.underLoad
      ? {
          underLoad: held
            ? { scenario: held.scenario, usersAtStart: held.users, ...(loadProblem ? { problem: loadProblem } : {}) }
            : { scenario: exp.underLoad, status: 'not started' },
        }
      : {}),
  })
  return {
    figures,
    details,
    ...(faultAt !== undefined ? { faultAt } : {}),
    ...(faultDoneAt !== undefined ? { faultDoneAt } : {}),
    faultActions: faultRecords,
    ...(load ? { load } : {}),
    ...(server ? { server } : {}),
    ...(problem && !(ctx.signal.aborted && problem.startsWith('interrupted')) ? { problem } : {}),
    interrupted: ctx.signal.aborted,
    ...(rollbackFailed ? { rollbackFailed } : {}),
    ...(rollbackFailed && entry !== undefined ? { journaled: ctx.journal!.journal.dir } : {}),
    evidence: {
      experiment: exp.name,
      plan: {
        fault: exp.fault.map((a) => a.text),
        rollback: exp.rollback.map((a) => a.text),
        recoverAfter: s.recoverAfter,
        deadlineSeconds: s.deadlineSeconds,
      },
      ...(faultAt !== undefined ? { faultAt: round3(faultAt) } : {}),
      ...(faultDoneAt !== undefined ? { faultDoneAt: round3(faultDoneAt) } : {}),
      endAt: round3(endAt),
      ...(started ? {} : { probes: 'not started' }),
      actions: { fault: faultRecords, rollback: rollbackRecords },
      ...(faultAt === undefined ? { rollback: 'not needed: no fault was applied' } : {}),
      ...(exp.underLoad
        ? {
            underLoad: held
              ? {
                  scenario: held.scenario,
                  usersAtStart: held.users,
                  faultAtS: loadFaultAt,
                  endAtS: loadEndAt,
                  window: load ?? null,
                  ...(loadProblem ? { problem: loadProblem } : {}),
                }
              : { scenario: exp.underLoad, status: 'not started' },
          }
        : {}),
      ...(server ? { server: server.evidence } : {}),
      writes: {
        sent: probes.writes.length,
        acknowledged: probes.writes.filter((w) => w.id !== undefined).length,
        lost: lost.map((w) => ({ seq: w.seq, id: w.id, ackT: w.ackT })),
        verifications,
      },
      // per half second, for the report's chart; the raw samples as [t, probe, ok, ms, status]
      timeline,
      samples: probes.samples.slice(0, 5000).map((x) => [x.t, x.probe === 'read' ? 'r' : 'w', x.ok ? 1 : 0, x.ms, x.status]),
    },
  }
}

function trailingSuccesses(p: Probes, since: number): number {
  const after = p.samples.filter((x) => x.t >= since).sort((a, b) => a.t - b.t)
  let n = 0
  for (let i = after.length - 1; i >= 0 && after[i]!.ok; i--) n++
  return n
}

/** The plan in words, for --dry-run: the same action runner, dry, says what each action would do. */
export async function describeExperiment(
  exp: Experiment,
  s: DrillSettings,
  target: DrillTarget,
  actions: Omit<ActionContext, 'signal' | 'dry'> = {},
): Promise<string[]> {
  const w = s.probes.write
  const dry = { ...actions, stagingDir: s.stagingDir, signal: new AbortController().signal, dry: true }
  const planned = async (list: Action[]) =>
    (await runActions(list, dry, performance.now(), { stopOnError: false, log: () => {}, phase: 'plan' })).map(
      (r) => `            - ${r.action}: ${r.ok ? r.output : `would fail: ${r.error}`}`,
    )
  return [
    `experiment ${exp.name}`,
    `  probes:   GET ${target.origin}${target.base}${s.probes.readPath} at ${s.probes.readRps}/s (timeout ${s.probes.timeoutMs} ms)`,
    w
      ? `            POST ${target.base}${w.path} at ${w.rps}/s as ${w.username} (login ${w.loginPath}), read back at ${w.verifyPath}`
      : '            no write probe (write: false)',
    ...(exp.underLoad
      ? [`  load:     scenario ${exp.underLoad} started first and held at its peak users until the observation ends; its journeys' figures in the fault window`]
      : []),
    `  steady:   ${s.warmupSeconds} s of probes must all succeed before the fault`,
    `  fault:    ${exp.fault.map((a) => a.text).join(' → ') || '(none)'}`,
    ...(await planned(exp.fault)),
    `  observe:  until ${s.recoverAfter} consecutive successes after the fault (at least ${s.minObserveSeconds} s), deadline ${s.deadlineSeconds} s`,
    `  rollback: ${exp.rollback.map((a) => a.text).join(' → ') || '(none)'} (always runs; ${s.rollbackTimeoutSeconds} s per action)`,
    ...(await planned(exp.rollback)),
  ]
}
