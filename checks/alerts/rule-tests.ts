// `promtool test rules` on the rule test files the config names: one figure per test (1 passed,
// 0 failed), and a rule file that does not load is a clear error naming the file and the line.

import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { parse } from 'yaml'

export interface RuleTestFile {
  file: string
  tests: { name: string; passed: boolean }[]
  /** a rule file or test file that promtool could not load */
  error?: string
  output: string
}

export function testNames(file: string): string[] {
  let doc: { tests?: { name?: string }[] }
  try {
    doc = (parse(readFileSync(file, 'utf8')) ?? {}) as typeof doc
  } catch (e) {
    throw new Error(`${file}: not YAML (${(e as Error).message.split('\n')[0]})`)
  }
  return (doc.tests ?? []).map((t, i) => t.name ?? `${basename(file).replace(/\.ya?ml$/, '')}#${i + 1}`)
}

/** Which tests failed, from promtool's output ('name: X,' starts each failure of a named test). */
export function readPromtoolOutput(file: string, names: string[], code: number | null, output: string): RuleTestFile {
  const failed = new Set([...output.matchAll(/^\s*name:\s*(.+?),\s*$/gm)].map((m) => m[1]!))
  // a load error: promtool names the rule file and the position ("x.yml: 5:15: group …")
  const loadError = output
    .split('\n')
    .find((l) => /^\S+\.ya?ml: (\d+:\d+: )?/.test(l.trim()) || /could not parse|cannot unmarshal|no such file|does not exist/.test(l))
  if (code !== 0 && (loadError || failed.size === 0)) {
    return { file, tests: names.map((name) => ({ name, passed: false })), error: (loadError ?? output.trim().split('\n').slice(-3).join(' ')).trim(), output }
  }
  return { file, tests: names.map((name) => ({ name, passed: code === 0 || !failed.has(name) })), output }
}

export function promtoolFound(promtool: string): boolean {
  if (promtool.includes('/')) return existsSync(promtool)
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(`${d}/${promtool}`))
}

export async function runRuleTests(promtool: string, file: string, timeoutMs = 60_000): Promise<RuleTestFile> {
  if (!existsSync(file)) throw new Error(`checks.alerts.ruleTests: ${file} does not exist: point it at a promtool rule test file`)
  const names = testNames(file)
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    // promtool reads rule_files relative to the test file's folder
    const p = spawn(promtool, ['test', 'rules', basename(file)], { cwd: dirname(file), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    p.stdout.on('data', (d) => {
      output += d
    })
    p.stderr.on('data', (d) => {
      output += d
    })
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs)
    p.on('error', (e) => {
      clearTimeout(timer)
      reject(new Error(`${promtool}: ${e.message}`))
    })
    p.on('close', (c) => {
      clearTimeout(timer)
      resolve({ code: c, output })
    })
  })
  return readPromtoolOutput(file, names, code, output)
}
