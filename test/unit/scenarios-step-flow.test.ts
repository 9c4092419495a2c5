// Step flow (scenarios/step-flow.ts): how when / repeat / forEach / hooks compile, what a bad one
// says, and what walkStep asks an engine to do, without a network.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { UsageError } from '../../core/errors.js'
import { compileScenario, type PlanStep } from '../../scenarios/compile.js'
import type { AnyStep, Scenario } from '../../scenarios/dsl.js'
import { bindHooks } from '../../scenarios/hooks.js'
import { walkStep, type FlowEvent } from '../../scenarios/step-flow.js'
import { render, type Vars } from '../../scenarios/template.js'

const FILE = new URL(import.meta.url).pathname // a .ts file that exists: hooks need a loadable file
const scenario = (steps: AnyStep[]): Scenario => ({ name: 's', profile: { model: 'closed', vus: 1, duration: '1s' }, steps })
const compile = (steps: AnyStep[]) => compileScenario(scenario(steps), { file: FILE })

function fails(steps: AnyStep[], message: RegExp, fix: RegExp): void {
  assert.throws(
    () => compile(steps),
    (e: UsageError) => {
      assert.match(e.message, message)
      assert.match(e.hint ?? '', fix)
      return true
    },
  )
}

test('bad flow fields: the file, the step, the problem and the fix', () => {
  fails(
    [{ name: 'a', path: '/', when: '{{x}} >' }],
    /steps\[0\]\.when: '\{\{x\}\} >' does not parse: the expression ends where a value is expected \(at character 8\)/,
    /'\{\{cartSize\}\} > 0'/,
  )
  fails([{ name: 'a', path: '/', repeat: 0 }], /steps\[0\]\.repeat: expected a whole number 1–1000, got 0/, /repeat: 3/)
  fails([{ name: 'a', path: '/', repeat: 2.5 }], /steps\[0\]\.repeat: expected a whole number 1–1000/, /repeat: 3/)
  fails([{ name: 'a', path: '/', repeat: 2, forEach: 'items' }], /steps\[0\]: both repeat and forEach are set/, /keep one/)
  fails([{ name: 'a', path: '/', forEach: 'not a name' }], /steps\[0\]\.forEach: expected the name of a variable holding a list/, /forEach: 'items'/)
  fails([{ name: 'a', path: '/', after: 42 as never }], /steps\[0\]\.after: expected a function, got 42/, /a TypeScript or JavaScript scenario file/)
  fails([{ name: 'a', run: () => ({}), path: '/' } as never], /steps\[0\]\.path: a run step makes no request, so it takes no path/, /remove path/)
  fails([{ name: 'a' } as never], /steps\[0\]\.path: missing required field 'path'/, /or make it a step with no request/)
  // hooks reach the engines as code: an in-memory scenario with a file that cannot be loaded is refused
  assert.throws(
    () => compileScenario(scenario([{ name: 'a', run: () => ({}) }]), { file: 'inline' }),
    /not a TypeScript or JavaScript file the engines can load them from/,
  )
})

test('a plain step has no flow (the engines keep their fast path); an after hook reads the body and headers', () => {
  const plan = compile([
    { name: 'a', path: '/' },
    { name: 'b', path: '/', after: () => ({}) },
    { name: 'c', run: () => ({}) },
  ])
  assert.equal(plan.steps[0]!.flow, null)
  assert.equal(plan.code, FILE)
  const b = plan.steps[1]!
  assert.deepEqual([b.readsBody, b.readsHeaders, b.read?.keep], [true, true, true])
  assert.deepEqual([plan.steps[2]!.method, plan.steps[2]!.flow?.at], ['RUN', 'steps[2]'])
  assert.equal(compile([{ name: 'a', path: '/', repeat: 2 }]).code, null, 'no hooks: no code to load')
})

/** walks one step of a scenario; the engine's part is played by recording each event */
function walk(steps: AnyStep[], vars: Vars, at = 0): { events: (FlowEvent & { path?: string })[]; vars: Vars } {
  const s = scenario(steps)
  const plan = compileScenario(s, { file: FILE })
  const step: PlanStep = plan.steps[at]!
  const hooks = bindHooks(s, plan.steps)[at]
  const events: (FlowEvent & { path?: string })[] = []
  // the request is rendered while the step runs, as an engine does
  for (const e of walkStep(step, vars, hooks)) events.push(e.type === 'send' ? { ...e, path: render(step.path, vars) } : e)
  return { events, vars }
}

test('forEach sends once per element as {{item}} / {{index}}, then puts the variables back', () => {
  const { events, vars } = walk([{ name: 'a', path: '/i/{{item.id}}/{{index}}', forEach: 'items' }], { items: [{ id: 'x' }, { id: 'y' }], item: 'mine' })
  assert.deepEqual(events, [
    { type: 'send', path: '/i/x/0' },
    { type: 'send', path: '/i/y/1' },
  ])
  assert.deepEqual(vars, { items: [{ id: 'x' }, { id: 'y' }], item: 'mine' }, 'item restored, index removed')
  assert.deepEqual(walk([{ name: 'a', path: '/', forEach: 'items' }], { items: [] }).events, [], 'an empty list sends nothing')
  assert.deepEqual(walk([{ name: 'a', path: '/', forEach: 'items' }], {}).events, [
    { type: 'fail', message: "forEach 'items': variable {{items}} is not set (did an earlier capture fail?)" },
  ])
  assert.deepEqual(walk([{ name: 'a', path: '/', forEach: '{{items}}' }], { items: 'abc' }).events, [
    { type: 'fail', message: "forEach '{{items}}': {{items}} is 'abc', not a list" },
  ])
})

test('when is read before each repetition; repeat sends N times', () => {
  assert.deepEqual(
    walk([{ name: 'a', path: '/p/{{index}}', repeat: 3 }], {}).events.map((e) => e.path),
    ['/p/0', '/p/1', '/p/2'],
  )
  assert.deepEqual(
    walk([{ name: 'a', path: '/p/{{index}}', repeat: 4, when: '{{index}} != 2' }], {}).events.map((e) => e.path),
    ['/p/0', '/p/1', '/p/3'],
  )
  assert.deepEqual(walk([{ name: 'a', path: '/', when: '{{n}} > 0' }], { n: 0 }).events, [])
  assert.deepEqual(walk([{ name: 'a', path: '/', when: '{{n}} > 0' }], {}).events, [
    { type: 'fail', message: "when '{{n}} > 0': variable {{n}} is not set (did an earlier capture fail?)" },
  ])
})

test('hooks: the returned variables are set; a throw, a Promise or a non-object is a failed check', () => {
  const seen: Vars[] = []
  const r = walk(
    [
      {
        name: 'a',
        path: '/{{sig}}',
        before: (v) => {
          seen.push(v)
          v.mutated = true
          return { sig: `s-${v.n}` }
        },
      },
    ],
    { n: 1 },
  )
  assert.deepEqual(r.events, [{ type: 'send', path: '/s-1' }])
  assert.equal(r.vars.mutated, undefined, 'a hook gets a copy: only what it returns is set')
  assert.deepEqual(walk([{ name: 'a', run: (v) => ({ total: v.n * 2 }) }], { n: 2 }).vars.total, 4)
  assert.deepEqual(walk([{ name: 'a', run: () => undefined }], {}).events, [{ type: 'ran' }])
  assert.deepEqual(
    walk(
      [
        {
          name: 'a',
          path: '/',
          before: () => {
            throw new Error('no key')
          },
        },
      ],
      {},
    ).events,
    [{ type: 'fail', message: 'before hook threw: no key' }],
  )
  assert.deepEqual(walk([{ name: 'a', run: (() => Promise.resolve({})) as never }], {}).events, [
    { type: 'fail', message: 'run hook returned a Promise: hooks run synchronously (no I/O); return the variables to set' },
  ])
  assert.deepEqual(walk([{ name: 'a', run: (() => 7) as never }], {}).events, [
    { type: 'fail', message: 'run hook returned number 7: return an object of the variables to set (or nothing)' },
  ])
})

test('the example in docs/scenarios.md#logic loads and compiles', async () => {
  const { readFileSync, mkdtempSync, writeFileSync, rmSync } = await import('node:fs')
  const { join } = await import('node:path')
  const { tmpdir } = await import('node:os')
  const { findScenario } = await import('../../scenarios/registry.js')
  const doc = readFileSync(new URL('../../docs/scenarios.md', import.meta.url), 'utf8')
  const code = /## Logic[\s\S]*?```ts\n([\s\S]*?)```/.exec(doc)![1]!
  const dir = mkdtempSync(join(tmpdir(), 'golive-doc-'))
  try {
    writeFileSync(join(dir, 'shop.ts'), code)
    const src = await findScenario(join(dir, 'shop.ts'), dir)
    const plan = compileScenario(src.scenario, { file: src.file })
    assert.deepEqual(
      plan.steps.map((s) => [
        s.name,
        s.flow && {
          when: s.flow.when?.source ?? null,
          repeat: s.flow.repeat,
          forEach: s.flow.forEach?.source ?? null,
          before: s.flow.before,
          after: s.flow.after,
          run: s.flow.run,
        },
      ]),
      [
        ['products', null],
        ['product', { when: null, repeat: null, forEach: 'products', before: false, after: false, run: false }],
        ['cart', null],
        ['poll', { when: null, repeat: 3, forEach: null, before: false, after: false, run: false }],
        ['checkout', { when: '{{cartSize}} > 0', repeat: null, forEach: null, before: true, after: true, run: false }],
        ['total', { when: null, repeat: null, forEach: null, before: false, after: false, run: true }],
      ],
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
