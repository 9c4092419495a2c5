import { createServer } from 'node:net'

// Fixed base ports of the staging-stack tests, shifted by GOLIVE_TEST_PORT_OFFSET so that two
// checkouts (two worktrees, two CI jobs on one machine) can run their stacks side by side.

const OFFSET = Number(process.env.GOLIVE_TEST_PORT_OFFSET ?? 0)
if (!Number.isInteger(OFFSET) || OFFSET < 0 || OFFSET > 20_000) {
  throw new Error(`GOLIVE_TEST_PORT_OFFSET=${process.env.GOLIVE_TEST_PORT_OFFSET}: expected an integer 0..20000`)
}

export function testPort(base: number): number {
  return base + OFFSET
}

// Ports the OS handed out to this process. listen(0) then close() can hand the same port out
// twice in a row; two servers of one nginx config on one port merge (an http case then answers
// "400 plain HTTP sent to HTTPS port"), so a port is never given twice.
const given = new Set<number>()

/** A free 127.0.0.1 port, never one this process was given before. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer()
      s.once('error', reject)
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port
        s.close(() => resolve(p))
      })
    })
    if (!given.has(port)) {
      given.add(port)
      return port
    }
  }
  throw new Error('no fresh free port after 50 tries')
}
