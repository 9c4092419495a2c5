// The FastAPI app of fastapi-app.py (Debian's python3-fastapi and python3-uvicorn; .ci/run
// installs them): software nobody here wrote that writes its own OpenAPI document.

import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'

const PYTHON = '/usr/bin/python3'

/** Are FastAPI and uvicorn importable? Under CI their absence is an error, not a skip. */
export function fastApiInstalled(): boolean {
  let ok = false
  try {
    execFileSync(PYTHON, ['-c', 'import fastapi, uvicorn'], { stdio: 'ignore' })
    ok = true
  } catch {
    ok = false
  }
  if (!ok && process.env.CI) throw new Error('python3-fastapi / python3-uvicorn missing: .ci/run installs them')
  return ok
}

export async function startFastApi(): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(PYTHON, [join(import.meta.dirname, 'fastapi-app.py')], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [chunk] = (await Promise.race([
    once(child.stdout!, 'data'),
    once(child, 'exit').then(() => {
      throw new Error('the FastAPI app exited')
    }),
  ])) as [Buffer]
  const url = `http://127.0.0.1:${Number(chunk.toString().trim())}`
  return {
    url,
    close: async () => {
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}
