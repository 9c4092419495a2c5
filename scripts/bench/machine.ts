// The machine a benchmark ran on, for the record.

import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism, release, totalmem } from 'node:os'
import { join } from 'node:path'

export interface Machine {
  cpus: number
  cpu: string
  memoryGB: number
  node: string
  os: string
  tools: string
}

export function machine(root: string): Machine {
  const cpu = /^model name\s*:\s*(.+)$/m.exec(safeRead('/proc/cpuinfo'))?.[1]?.trim() ?? 'unknown'
  const os = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(safeRead('/etc/os-release'))?.[1] ?? 'unknown'
  const version = (pkg: string) => {
    try {
      return (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version
    } catch {
      return '?'
    }
  }
  let wrk = '?'
  try {
    execFileSync('wrk', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (e) {
    // wrk -v prints its version and exits 1
    wrk = /wrk (\S+)/.exec(String((e as { stdout?: string }).stdout ?? ''))?.[1] ?? '?'
  }
  return {
    cpus: availableParallelism(),
    cpu,
    memoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os}, Linux ${release()}`,
    tools: `autocannon ${version('autocannon')}, undici ${version('undici')}, wrk ${wrk}`,
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}
