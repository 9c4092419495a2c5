// The built-in demo target: the demo app on a random loopback port, in a worker thread so that
// it has a core of its own and does not share an event loop with the load engine.

import { startWorker } from '../../core/worker-thread.js'

export interface DemoTarget {
  url: string
  stop(): Promise<void>
}

export async function startDemoTarget(): Promise<DemoTarget> {
  const worker = startWorker(import.meta.url, './demo-worker.ts', 'demo-worker.js', {})
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port: number }) => resolve(m.port))
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`demo target exited with code ${code}`)))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await worker.terminate()
    },
  }
}
