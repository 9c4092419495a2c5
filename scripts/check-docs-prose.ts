// Where each check's prose lives, for the header of a docs/checks/<id>.md page that is new
// (the pages that exist keep their own prose above the generated tables).
const drills = 'How the drill runs, its safety rules and figures: [drills](../drills.md).'

export const PROSE: Record<string, string> = {
  failover: drills,
  'rolling-restart': drills,
  'backup-restore': drills,
}
