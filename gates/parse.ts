// Gates from config: the short form 'load.*.latency_p95 < 500ms warn' or the object form.
// Both come out as one normalised GateSpec (level filled in), or a GateParseError that says
// what is wrong and how to write it. Bad gates stop the run (exit 2) before anything is judged.

import type { GateLevel, GateSide, GateSpec } from '../core/results.js'
import { UsageError } from '../core/errors.js'
import { GATE_OPS, GATE_SIDES, isBaselineOp, isGateOp } from './operators.js'
import { CHANGE_FORMS, parseChange } from './baseline.js'
import { parseTarget, TARGET_FORMS, TargetError } from './target.js'
import { parseDuration } from '../core/units.js'

export const GATE_LEVELS: readonly GateLevel[] = ['blocker', 'warn', 'off']

const HOW_TO_WRITE =
  "write it as '<figure> <op> <target> [blocker|warn|off] [pessimistic|optimistic|value]', e.g. 'load.*.latency_p95 < 500ms' or 'tls.grade >= A+ warn'"

export class GateParseError extends UsageError {
  constructor(
    /** the gate as the user wrote it (objects as JSON) */
    readonly gate: string,
    readonly problem: string,
    readonly fix: string = HOW_TO_WRITE,
    readonly source?: string,
  ) {
    super(`invalid gate ${gate}${source ? ` (from ${source})` : ''}: ${problem}\n  fix: ${fix}`, fix)
    this.name = 'GateParseError'
  }
}

// First match wins, so the two-character operators come before '<', '>' and the usual typos.
const OP_RE = /\brise<|\bdrop<|<=|>=|==|!=|=<|=>|<>|<|>|=/
const TYPO_OPS: Record<string, string> = { '=': '==', '=<': '<=', '=>': '>=', '<>': '!=' }
const SEGMENT_RE = /^[A-Za-z0-9_-]+$/
const SPEC_KEYS = new Set(['figure', 'op', 'target', 'level', 'source', 'description', 'optional', 'side', 'abort'])

/** Reads one gate. `source` ('config', a preset name) is recorded on the spec unless it has one. */
export function parseGate(input: GateSpec | string, source?: string): GateSpec {
  if (typeof input === 'string') return parseShort(input, source)
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new GateParseError(show(input), 'a gate is a string or an object', HOW_TO_WRITE, source)
  }
  return parseObject(input, source)
}

/** The gate as people read it on a scorecard: 'load.*.latency_p95 < 500ms'. */
export function formatGate(gate: Pick<GateSpec, 'figure' | 'op' | 'target' | 'side'>): string {
  return `${gate.figure} ${gate.op} ${gate.target}${gate.side ? ` ${gate.side}` : ''}`
}

function parseShort(text: string, source?: string): GateSpec {
  const shown = `'${text}'`
  const fail = (problem: string, fix?: string): never => {
    throw new GateParseError(shown, problem, fix, source)
  }

  const m = OP_RE.exec(text)
  if (!m) return fail(`no operator: use one of ${GATE_OPS.join(' ')}`)
  const op = m[0]
  if (!isGateOp(op)) return fail(`'${op}' is not an operator`, `write '${TYPO_OPS[op]}' instead of '${op}'`)
  const figure = text.slice(0, m.index).trim()
  const [target, ...words] = text
    .slice(m.index + op.length)
    .trim()
    .split(/\s+/)
    .filter(Boolean)
  if (!figure) fail(`no figure before '${op}'`)
  if (!target) fail(`no target after '${op}'`)
  // after the target: a level, then a side (docs/gates.md), each optional
  const side = words.length && (GATE_SIDES as readonly string[]).includes(words.at(-1)!) ? (words.pop() as GateSide) : undefined
  const [level, ...extra] = words
  if (extra.length)
    fail(
      `unexpected '${extra.join(' ')}' after the level`,
      `after the target come a level (${GATE_LEVELS.join(', ')}) and a side (${GATE_SIDES.join(', ')}), each optional`,
    )
  return parseObject({ figure, op, target: target!, ...(level ? { level: level as GateLevel } : {}), ...(side ? { side } : {}) }, source, shown)
}

function parseObject(input: GateSpec, source?: string, shown = show(input)): GateSpec {
  const fail = (problem: string, fix?: string): never => {
    throw new GateParseError(shown, problem, fix, source)
  }
  const raw = input as unknown as Record<string, unknown>

  const unknown = Object.keys(raw).filter((k) => !SPEC_KEYS.has(k))
  if (unknown.length) fail(`unknown field ${unknown.map((k) => `'${k}'`).join(', ')}`, `a gate has only ${[...SPEC_KEYS].join(', ')}`)

  const { figure, op, target, level, description, optional, side, abort } = raw
  if (typeof figure !== 'string' || figure.trim() === '')
    fail('the figure is empty', "name a figure from results.json, e.g. 'load.*.latency_p95' or 'tls.grade'")
  checkFigure(figure as string, fail)

  if (!isGateOp(op)) {
    const typo = typeof op === 'string' ? TYPO_OPS[op] : undefined
    fail(`unknown operator ${show(op)}`, typo ? `write '${typo}'` : `use one of ${GATE_OPS.join(' ')}`)
  }

  if (typeof target !== 'string' && typeof target !== 'number') {
    fail(`the target must be a string or a number, not ${show(target)}`, `write ${TARGET_FORMS}`)
  }
  try {
    if (isBaselineOp(op)) parseChange(target as string | number)
    else parseTarget(target as string | number)
  } catch (err) {
    if (err instanceof TargetError) fail(err.problem, `write ${isBaselineOp(op) ? CHANGE_FORMS : TARGET_FORMS}`)
    throw err
  }

  if (level !== undefined && !GATE_LEVELS.includes(level as GateLevel)) {
    fail(`unknown level ${show(level)}`, `use ${GATE_LEVELS.join(', ')} (blocker when left out)`)
  }
  if (side !== undefined && !(GATE_SIDES as readonly unknown[]).includes(side)) {
    fail(
      `unknown side ${show(side)}`,
      `use ${GATE_SIDES.join(', ')} (for a figure with an interval; pessimistic for blockers, value for warnings when left out)`,
    )
  }
  if (optional !== undefined && typeof optional !== 'boolean') fail(`'optional' must be true or false, not ${show(optional)}`)
  if (description !== undefined && typeof description !== 'string') fail(`'description' must be text, not ${show(description)}`)
  if (abort !== undefined) checkAbort(abort, figure as string, op as string, (level as string | undefined) ?? 'blocker', fail)
  const from = raw.source ?? source
  if (from !== undefined && typeof from !== 'string') fail(`'source' must be text, not ${show(from)}`)

  return {
    figure: (figure as string).trim(),
    op: op as GateSpec['op'],
    // the short form's '100' is the number 100; other targets stay as written
    target:
      typeof target === 'string' && /^[-+]?\d+(\.\d+)?$/.test(target.trim()) ? Number(target) : typeof target === 'string' ? target.trim() : (target as number),
    level: (level as GateLevel | undefined) ?? 'blocker',
    ...(from !== undefined ? { source: from as string } : {}),
    ...(description !== undefined ? { description: description as string } : {}),
    ...(optional !== undefined ? { optional: optional as boolean } : {}),
    ...(side !== undefined ? { side: side as GateSide } : {}),
    ...(abort !== undefined ? { abort: { after: (abort as { after: string | number }).after } } : {}),
  }
}

const ABORTABLE = /^load\.[^.]+\.(latency_p50|latency_p95|latency_max|error_rate)$/
const ABORT_FIX =
  "write abort: { after: '30s' } on a blocker gate on a scenario's latency_p50, latency_p95, latency_max or error_rate, " +
  "e.g. { figure: 'load.*.latency_p95', op: '<', target: '500ms', abort: { after: '30s' } }"

/** abort: { after } — a duration, on a blocker the timeline's seconds can judge */
function checkAbort(abort: unknown, figure: string, op: string, level: string, fail: (problem: string, fix?: string) => never): void {
  if (abort === null || typeof abort !== 'object' || Array.isArray(abort)) fail(`'abort' must be { after: '30s' }, not ${show(abort)}`, ABORT_FIX)
  const keys = Object.keys(abort as object)
  if (keys.some((k) => k !== 'after'))
    fail(
      `unknown field in abort: ${keys
        .filter((k) => k !== 'after')
        .map((k) => `'${k}'`)
        .join(', ')}`,
      ABORT_FIX,
    )
  const after = (abort as { after?: unknown }).after
  if (typeof after !== 'string' && typeof after !== 'number') fail(`abort.after must be a duration, not ${show(after)}`, ABORT_FIX)
  try {
    parseDuration(after as string | number)
  } catch (e) {
    fail(`abort.after: ${(e as Error).message}`, ABORT_FIX)
  }
  if (level !== 'blocker') fail(`abort on a ${level} gate: only a blocker stops a run`, 'drop abort, or make the gate a blocker')
  if (op === 'rise<' || op === 'drop<') fail('abort on a baseline gate: a comparison with an earlier run is judged after the run', ABORT_FIX)
  if (!ABORTABLE.test(figure.trim()))
    fail(`abort on '${figure}': only a scenario's latency_p50, latency_p95, latency_max or error_rate is judged second by second`, ABORT_FIX)
}

// '<source>.<name>', dotted, '*' standing for exactly one whole segment.
function checkFigure(figure: string, fail: (problem: string, fix?: string) => never): void {
  const segments = figure.trim().split('.')
  const example = "e.g. 'load.*.latency_p95' or 'tls.grade'"
  if (segments.length < 2) fail(`figure '${figure}' has no source: figures are '<source>.<name>'`, `write ${example}`)
  for (const seg of segments) {
    if (seg === '*') continue
    if (seg.includes('*')) fail(`'${seg}' in '${figure}': '*' stands for a whole segment, not part of one`, `write ${example}`)
    if (!SEGMENT_RE.test(seg)) fail(`figure '${figure}' is not a dotted path of names`, `write ${example}`)
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`
  const json = JSON.stringify(value) ?? String(value)
  return json.length > 120 ? `${json.slice(0, 117)}...` : json
}
