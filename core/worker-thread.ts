// Starts a worker thread from a module next to the caller: the .ts source when running from
// source (tests, tsx), the bundled dist/<bundledName> otherwise. Node 20 workers ignore --import, so
// from source the worker registers tsx itself before loading the module.

import { join } from 'node:path'
import { Worker, type WorkerOptions } from 'node:worker_threads'
import { packageRoot } from './package-root.js'

export function startWorker(callerUrl: string, sourceName: string, bundledName: string, options: WorkerOptions): Worker {
  if (callerUrl.endsWith('.ts')) {
    const entry = new URL(sourceName, callerUrl).href
    const tsx = import.meta.resolve('tsx/esm/api')
    const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`
    return new Worker(code, { ...options, eval: true })
  }
  // bundled: dist/<name>.js (the caller may sit in dist/chunks/, so not relative to it)
  return new Worker(join(packageRoot(), 'dist', bundledName), options)
}
