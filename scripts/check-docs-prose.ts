// Where each check's prose lives, for the header of a docs/checks/<id>.md page that is new.
const readme = (anchor: string) => `How it measures, its gates and evidence: the README's [${anchor.split('-')[0]!} section](../../README.md#${anchor}).`

export const PROSE: Record<string, string> = {
  headers: readme('headers-the-mdn-http-observatory-grade'),
  'rate-limit': readme('rate-limit-brute-force-and-request-floods'),
  findings: readme('findings-vulnerability-scanners-results'),
  alerts: readme('alerts-alerts-that-really-ring'),
  monitoring: readme('monitoring-is-the-monitoring-watching'),
  failover: `How the drill runs, its safety rules and figures: [drills](../drills.md) and the README's [drills section](../../README.md#disaster-recovery-drills-backup-restore-failover-rolling-restart).`,
  'rolling-restart': `How the drill runs, its safety rules and figures: [drills](../drills.md) and the README's [drills section](../../README.md#disaster-recovery-drills-backup-restore-failover-rolling-restart).`,
}
