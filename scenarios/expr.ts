// The `when` expression language: comparisons, &&, ||, !, parentheses, numbers, strings, true,
// false and {{variables}}. Parsed once at load into plain data (it crosses into worker threads
// and the k6 script), then evaluated per request by a tiny interpreter: no eval, no functions,
// no property access beyond {{a.b}} lookups. Pure, so both engines run the same code.

import { lookup, type Vars } from './template.js'

export type Expr =
  | { k: 'lit'; v: number | string | boolean }
  | { k: 'var'; path: string[] }
  | { k: 'not'; e: Expr }
  | { k: 'and' | 'or'; a: Expr; b: Expr }
  | { k: 'cmp'; op: CmpOp; a: Expr; b: Expr }

type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>='

/** A parse error: `at` is the 0-based character where the problem starts. */
export class ExprError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message)
  }
}

type Tok =
  | { t: 'num'; v: number; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'var'; path: string[]; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'word'; v: string; at: number }
  | { t: 'end'; at: number }

const OPS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')']

function tokenize(src: string): Tok[] {
  const out: Tok[] = []
  let i = 0
  while (i < src.length) {
    const c = src[i]!
    if (/\s/.test(c)) {
      i++
      continue
    }
    const at = i
    if (src.startsWith('{{', i)) {
      const m = /^\{\{\s*([A-Za-z_$][\w$]*(?:\.[\w$]+)*)\s*\}\}/.exec(src.slice(i))
      if (!m) throw new ExprError(`'${src.slice(i, i + 20)}' is not a variable: write {{name}} or {{user.name}}`, at)
      out.push({ t: 'var', path: m[1]!.split('.'), at })
      i += m[0].length
      continue
    }
    if (c === "'" || c === '"') {
      let s = ''
      i++
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) {
          s += src[i + 1]
          i += 2
        } else s += src[i++]
      }
      if (i >= src.length) throw new ExprError(`the string starting here has no closing ${c}`, at)
      i++
      out.push({ t: 'str', v: s, at })
      continue
    }
    const num = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i))
    // a minus sign is a number's only when no value stands before it (there is no subtraction)
    const prev = out[out.length - 1]
    if (num && (c !== '-' || !prev || (prev.t === 'op' && prev.v !== ')'))) {
      out.push({ t: 'num', v: Number(num[0]), at })
      i += num[0].length
      continue
    }
    const word = /^[A-Za-z_]\w*/.exec(src.slice(i))
    if (word) {
      out.push({ t: 'word', v: word[0], at })
      i += word[0].length
      continue
    }
    const op = OPS.find((o) => src.startsWith(o, i))
    if (op) {
      out.push({ t: 'op', v: op, at })
      i += op.length
      continue
    }
    if (c === '=') throw new ExprError("'=' alone is not an operator: compare with ==", at)
    if (c === '&' || c === '|') throw new ExprError(`'${c}' alone is not an operator: write ${c}${c}`, at)
    throw new ExprError(`unexpected '${c}'`, at)
  }
  out.push({ t: 'end', at: src.length })
  return out
}

/** Parses a `when` expression; throws ExprError with the position of the first problem. */
export function parseExpr(src: string): Expr {
  const toks = tokenize(src)
  let p = 0
  const peek = () => toks[p]!
  const isOp = (v: string) => {
    const t = peek()
    return t.t === 'op' && t.v === v
  }
  const or = (): Expr => {
    let a = and()
    while (isOp('||')) {
      p++
      a = { k: 'or', a, b: and() }
    }
    return a
  }
  const and = (): Expr => {
    let a = unary()
    while (isOp('&&')) {
      p++
      a = { k: 'and', a, b: unary() }
    }
    return a
  }
  const unary = (): Expr => {
    if (isOp('!')) {
      p++
      return { k: 'not', e: unary() }
    }
    const a = primary()
    const t = peek()
    if (t.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      p++
      const b = primary()
      const next = peek()
      if (next.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(next.v))
        throw new ExprError(`comparisons do not chain: group them with && (a < b && b < c)`, next.at)
      return { k: 'cmp', op: t.v as CmpOp, a, b }
    }
    return a
  }
  const primary = (): Expr => {
    const t = toks[p++]!
    if (t.t === 'num') return { k: 'lit', v: t.v }
    if (t.t === 'str') return { k: 'lit', v: t.v }
    if (t.t === 'var') return { k: 'var', path: t.path }
    if (t.t === 'word') {
      if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' }
      throw new ExprError(`'${t.v}' is not a value: variables are written {{${t.v}}}, text in quotes ('${t.v}')`, t.at)
    }
    if (t.t === 'op' && t.v === '(') {
      const e = or()
      const close = toks[p++]!
      if (!(close.t === 'op' && close.v === ')')) throw new ExprError('a ( has no matching )', close.at)
      return e
    }
    if (t.t === 'end') throw new ExprError('the expression ends where a value is expected', t.at)
    throw new ExprError(`'${'v' in t ? t.v : ''}' where a value is expected`, t.at)
  }
  if (peek().t === 'end') throw new ExprError('the expression is empty', 0)
  const e = or()
  const rest = peek()
  if (rest.t !== 'end')
    throw new ExprError(
      `unexpected ${rest.t === 'op' || rest.t === 'word' ? `'${rest.v}'` : 'value'} after a complete expression (join conditions with && or ||)`,
      rest.at,
    )
  return e
}

/** A value of an expression at run time: what a variable holds, or a literal. */
type Value = unknown

/** Evaluates to true or false; throws Error (a failed check of the step) when a variable is not
 *  set or a comparison has no meaning (an ordering of non-numbers). */
export function evalExpr(e: Expr, vars: Vars): boolean {
  return truthy(value(e, vars))
}

function value(e: Expr, vars: Vars): Value {
  switch (e.k) {
    case 'lit':
      return e.v
    case 'var': {
      const v = lookup(vars, e.path)
      if (v === undefined) throw new Error(`variable {{${e.path.join('.')}}} is not set (did an earlier capture fail?)`)
      return v
    }
    case 'not':
      return !truthy(value(e.e, vars))
    case 'and':
      return truthy(value(e.a, vars)) && truthy(value(e.b, vars))
    case 'or':
      return truthy(value(e.a, vars)) || truthy(value(e.b, vars))
    case 'cmp':
      return compare(e.op, value(e.a, vars), value(e.b, vars))
  }
}

/** false, 0, '', null and an empty list are false; everything else is true */
export function truthy(v: Value): boolean {
  if (Array.isArray(v)) return v.length > 0
  return Boolean(v)
}

/** numbers and numeric strings compare as numbers (a header or regex capture is text) */
function num(v: Value): number | null {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
  return null
}

function compare(op: CmpOp, a: Value, b: Value): boolean {
  const x = num(a),
    y = num(b)
  if (op === '==' || op === '!=') {
    const eq =
      x !== null && y !== null ? x === y : typeof a === 'object' || typeof b === 'object' ? JSON.stringify(a) === JSON.stringify(b) : String(a) === String(b)
    return op === '==' ? eq : !eq
  }
  if (x === null || y === null) {
    if (typeof a === 'string' && typeof b === 'string') return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b
    throw new Error(`${show(a)} ${op} ${show(b)}: ${op} compares two numbers (or two texts)`)
  }
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y
}

function show(v: Value): string {
  const s = JSON.stringify(v) ?? String(v)
  return s.length > 40 ? `${s.slice(0, 37)}...` : s
}
