// Fixed base ports of the staging-stack tests, shifted by GOLIVE_TEST_PORT_OFFSET so that two
// checkouts (two worktrees, two CI jobs on one machine) can run their stacks side by side.

const OFFSET = Number(process.env.GOLIVE_TEST_PORT_OFFSET ?? 0)
if (!Number.isInteger(OFFSET) || OFFSET < 0 || OFFSET > 20_000) {
  throw new Error(`GOLIVE_TEST_PORT_OFFSET=${process.env.GOLIVE_TEST_PORT_OFFSET}: expected an integer 0..20000`)
}

export function testPort(base: number): number {
  return base + OFFSET
}
