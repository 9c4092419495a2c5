// Starting the processes of a benchmark: the children are bundled with esbuild (as dist/ is),
// so no TypeScript loader runs inside a measured process and golive's engine starts its
// worker from dist/engine-worker.js exactly as the CLI does.

import { build } from 'esbuild'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { RESULT_PREFIX, type ChildResult } from './measure.js'

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '')
// under node_modules/ so the engine's packageRoot() walks up to golive's package.json
const OUT = join(ROOT, 'node_modules', '.cache', 'golive-bench')

export type ChildName = 'target-server' | 'autocannon-child' | 'golive-child'

export async function bundleChildren(): Promise<void> {
  mkdirSync(OUT, { recursive: true })
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
  await build({
    entryPoints: ['target-server', 'autocannon-child', 'golive-child'].map((n) => join(ROOT, 'scripts', 'bench', `${n}.ts`)),
    outdir: OUT,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    define: { __GOLIVE_VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  })
}

const childPath = (name: ChildName) => join(OUT, `${name}.mjs`)

export interface Target {
  url: string
  pid: number
  served: () => Promise<number>
  close: () => void
}

/** A command, run on the given CPUs (taskset) when `cpus` is set. */
export function pinned(cpus: string | undefined, cmd: string, args: string[]): [string, string[]] {
  return cpus ? ['taskset', ['-c', cpus, cmd, ...args]] : [cmd, args]
}

export async function startTarget(cpus?: string): Promise<Target> {
  const child = spawn(...pinned(cpus, process.execPath, [childPath('target-server')]), { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const port = await new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the target did not start in 10 s')), 10_000)
    child.once('message', (m: { type: string; port: number }) => {
      clearTimeout(t)
      resolve(m.port)
    })
    child.once('exit', (code) => reject(new Error(`the target exited (${code})`)))
  })
  const served = () =>
    new Promise<number>((resolve) => {
      child.once('message', (m: { served: number }) => resolve(m.served))
      child.send({ type: 'served' })
    })
  return {
    url: `http://127.0.0.1:${port}/`,
    pid: child.pid!,
    served,
    close: () => {
      child.disconnect()
      child.kill()
    },
  }
}

/** Runs a load-generator child to its end (killed after `limitS`) and returns its report. */
export async function runChild(name: ChildName, args: object, limitS: number, cpus?: string): Promise<ChildResult> {
  const child = spawn(...pinned(cpus, process.execPath, [childPath(name), JSON.stringify(args)]), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  const { stdout, stderr, code } = await collect(child, limitS)
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX))
  if (!line) throw new Error(`${name} exited (${code}) without a result:\n${stderr.slice(-2000)}`)
  if (stderr.trim()) process.stderr.write(stderr)
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult
}

/** Waits for a child, killing it (SIGKILL) after `limitS` seconds: every run is bounded. */
export function collect(child: ChildProcess, limitS: number): Promise<{ stdout: string; stderr: string; code: number | null }> {
  let stdout = '',
    stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
  })
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`killed after ${limitS} s (time limit)`))
    }, limitS * 1000)
    child.once('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ stdout, stderr, code })
    })
  })
}
