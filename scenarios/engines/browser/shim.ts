// What `import { test, expect } from '@playwright/test'` means inside a spec that golive runs as
// browser users: esbuild bundles the spec with this module in @playwright/test's place. `test`
// only records the tests (the engine runs them, one fresh context each); `expect` and everything
// else are Playwright's own, so a spec's assertions behave exactly as under `npx playwright test`.
// Kept free of golive imports: it is bundled into the user's spec, and talks to the engine
// through one global (the spec registry, and the engine's step runner).

export * from '@playwright/test'
export { expect } from '@playwright/test'

type Fn = (...args: any[]) => any
export interface RecordedTest {
  title: string
  fn: Fn
  beforeEach: Fn[]
  afterEach: Fn[]
  use: Record<string, unknown>
  only: boolean
}
export interface SpecRegistry {
  tests: RecordedTest[]
  /** test.* members the engine cannot honour (beforeAll...): refused with their names */
  unsupported: string[]
  /** set by the engine while it runs: test.step's timing and error attribution */
  step?: (title: string, body: () => unknown) => Promise<unknown>
  info?: () => unknown
}

const KEY = Symbol.for('golive.browser-spec')
const registry = (): SpecRegistry => ((globalThis as Record<symbol, SpecRegistry>)[KEY] ??= { tests: [], unsupported: [] })

interface Scope {
  titles: string[]
  beforeEach: Fn[]
  afterEach: Fn[]
  use: Record<string, unknown>
}
let scope: Scope = { titles: [], beforeEach: [], afterEach: [], use: {} }

function add(title: string, a: unknown, b: unknown, only: boolean): void {
  const fn = (typeof a === 'function' ? a : b) as Fn | undefined
  if (!fn) return
  registry().tests.push({
    title: [...scope.titles, title].join(' › '),
    fn,
    beforeEach: [...scope.beforeEach],
    afterEach: [...scope.afterEach],
    use: { ...scope.use },
    only,
  })
}

function describe(title: string | Fn, a?: unknown, b?: unknown): void {
  const fn = (typeof title === 'function' ? title : typeof a === 'function' ? a : b) as Fn
  const outer = scope
  scope = {
    titles: typeof title === 'string' ? [...outer.titles, title] : outer.titles,
    beforeEach: [...outer.beforeEach],
    afterEach: [...outer.afterEach],
    use: { ...outer.use },
  }
  try {
    fn()
  } finally {
    scope = outer
  }
}
const skipDescribe = () => {}
const describeModes = () => ({ only: (t: string | Fn, a?: unknown, b?: unknown) => describe(t, a, b), skip: skipDescribe, fixme: skipDescribe })
const describeApi = Object.assign((t: string | Fn, a?: unknown, b?: unknown) => describe(t, a, b), {
  ...describeModes(),
  configure: () => {},
  serial: Object.assign((t: string | Fn, a?: unknown, b?: unknown) => describe(t, a, b), describeModes()),
  parallel: Object.assign((t: string | Fn, a?: unknown, b?: unknown) => describe(t, a, b), describeModes()),
})

/** A skip with a title and a body skips that test; test.skip() inside a test or with a condition is refused. */
function skip(...args: unknown[]): void {
  if (typeof args[0] === 'string' && typeof args.at(-1) === 'function') return
  registry().unsupported.push('test.skip(condition)')
}

const unsupported = (name: string) => () => {
  registry().unsupported.push(name)
}

export const test = Object.assign((title: string, a?: unknown, b?: unknown) => add(title, a, b, false), {
  only: (title: string, a?: unknown, b?: unknown) => add(title, a, b, true),
  skip,
  fixme: skip,
  fail: unsupported('test.fail'),
  slow: () => {},
  setTimeout: () => {},
  describe: describeApi,
  beforeEach: (fn: Fn) => {
    scope.beforeEach.push(fn)
  },
  afterEach: (fn: Fn) => {
    scope.afterEach.push(fn)
  },
  beforeAll: unsupported('test.beforeAll'),
  afterAll: unsupported('test.afterAll'),
  use: (options: Record<string, unknown>) => {
    Object.assign(scope.use, options)
  },
  extend: () => {
    throw new Error(
      "test.extend (custom fixtures) is not supported by golive's browser engine: use the built-in fixtures page, context, browser, baseURL, request",
    )
  },
  step: (title: string, body: () => unknown) => {
    const r = registry()
    return r.step ? r.step(title, body) : Promise.resolve().then(body)
  },
  info: () => registry().info?.(),
})
