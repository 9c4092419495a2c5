// The run's once-only steps on the embedded engine: `before` runs on the main thread before any
// worker starts, and its captures become every user's variables; `after` runs once the workers
// have stopped, also after Ctrl-C / SIGTERM. Their requests are counted as steps of their phase,
// outside the scenario's totals.

import type { ScenarioPlan } from '../../compile.js'
import type { Vars } from '../../template.js'
import type { Target } from './http.js'
import { WorkerMetrics, type TickMessage } from './metrics.js'
import { VirtualUser, prepareUsers, type VuShared } from './vu.js'
import { bindHooks, pickScenario } from '../../hooks.js'

export class RunSteps {
  private readonly metrics: WorkerMetrics
  private readonly user: VirtualUser
  private readonly shared: VuShared
  /** the plan's vars and what before captured, for the after steps */
  private captured: Vars

  constructor(
    private readonly plan: ScenarioPlan,
    private readonly target: Target,
    startMs: () => number,
  ) {
    this.metrics = new WorkerMetrics(
      plan.steps.map((s) => s.name),
      startMs,
      plan,
    )
    this.shared = { plan, target, metrics: this.metrics, nextRow: () => undefined }
    this.user = new VirtualUser(0, this.shared)
    this.captured = { ...plan.vars }
  }

  /** The before steps; the plan with their captures added to its vars, for the workers. */
  async before(): Promise<ScenarioPlan> {
    if (this.plan.flow.before.length === 0 && this.plan.flow.after.length === 0) return this.plan
    // their TypeScript hooks, read from the scenario file as a worker reads them
    if (this.plan.code) {
      const { importTsModule } = await import('../../../core/load-module.js')
      this.shared.hooks = bindHooks(pickScenario(await importTsModule(this.plan.code)), this.plan.steps)
    }
    await prepareUsers(this.plan, this.target)
    if (this.plan.flow.before.length === 0) return this.plan
    const vars: Vars = { ...this.plan.vars }
    await this.user.once(this.plan.flow.before, vars)
    this.captured = vars
    return { ...this.plan, vars: vars as Record<string, string> }
  }

  async after(): Promise<void> {
    if (this.plan.flow.after.length === 0) return
    await this.user.once(this.plan.flow.after, { ...this.captured })
  }

  /** what the once-only steps measured, as one more worker's tick */
  flush(): TickMessage {
    return this.metrics.flush(true)
  }

  close(): Promise<void> {
    return this.user.close()
  }
}
