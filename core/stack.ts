// The staging stack as checks see it: a port that cli fills with golive's own stack
// (staging/port.ts), so checks never import staging/ (DESIGN.md's dependency rule). The names of
// its faults and components are the contract: the action parser checks them at config load, and
// a unit test keeps staging's implementation equal to them.

/** Faults of the reference stack (golive staging fault <name>); 'heal' mends them all. */
export const STACK_FAULTS = ['kill-app1', 'stop-primary', 'promote-replica', 'slow-db', 'error-burst'] as const
export const STACK_COMPONENT_ACTIONS = ['stop', 'start', 'restart'] as const
/** Components a stop / start / restart may name (the stack's processes). */
export const STACK_COMPONENTS = [
  'postgres-primary',
  'postgres-replica',
  'redis',
  'app1',
  'app2',
  'edge',
  'prometheus',
  'alertmanager',
  'postgres-exporter-primary',
  'postgres-exporter-replica',
  'node-exporter',
] as const

export type StackFault = (typeof STACK_FAULTS)[number] | 'heal'
export type StackComponentAction = (typeof STACK_COMPONENT_ACTIONS)[number]

/** A database the stack holds, as a client connects to it. */
export interface StackDatabase {
  host: string
  port: number
  user: string
  password: string
  database: string
}

export interface StackPort {
  /** Applies a fault or heal to the stack whose state is in `dir`; resolves with what it did. */
  fault(dir: string, name: StackFault): Promise<string>
  /** Stops, starts or restarts one component (a restarted app is back when the edge sends it
   *  traffic again); resolves with what it did. */
  component(dir: string, action: StackComponentAction, component: string): Promise<string>
  /** The stack at `dir` in one line (a dry run names it), or throws why there is none. */
  describe(dir: string): string
  /** Its primary PostgreSQL as the superuser, or null without a stack at `dir`. */
  primaryDatabase(dir: string): StackDatabase | null
}
