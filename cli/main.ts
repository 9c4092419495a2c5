#!/usr/bin/env node
// golive's command line. Errors a user can fix print one message and exit 2, without a stack.

import { ConfigError, EXIT, UsageError } from '../core/errors.js'
import { HELP, MAIN_HELP } from './help.js'
import { VERSION } from '../core/version.js'
import { redactStreams } from './redact-streams.js'
import { stripControl } from '../reports/sanitize.js'

// loaded on demand: `golive --help` should not pay for ajv, undici and the rest
const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  loadtest: async (a) => (await import('./commands/load-and-run.js')).loadtestCommand(a),
  run: async (a) => (await import('./commands/load-and-run.js')).runCommand(a),
  capacity: async (a) => (await import('./commands/capacity.js')).capacityCommand(a),
  check: async (a) => (await import('./commands/check.js')).checkCommand(a),
  gate: async (a) => (await import('./commands/gate-and-report.js')).gateCommand(a),
  report: async (a) => (await import('./commands/gate-and-report.js')).reportCommand(a),
  checklist: async (a) => (await import('./commands/checklist.js')).checklistCommand(a),
  history: async (a) => (await import('./commands/history.js')).historyCommand(a),
  k6: async (a) => (await import('./commands/k6.js')).k6Command(a),
  staging: async (a) => (await import('./commands/staging.js')).stagingCommand(a),
  drill: async (a) => (await import('./commands/drill.js')).drillCommand(a),
  init: async (a) => (await import('./commands/init.js')).initCommand(a),
  scenario: async (a) => (await import('./commands/scenario.js')).scenarioCommand(a),
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(command === 'help' && rest[0] && HELP[rest[0]] ? HELP[rest[0]]! : MAIN_HELP)
    return EXIT.go
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`)
    return EXIT.go
  }
  const run = COMMANDS[command]
  if (!run) throw new UsageError(`unknown command '${command}'`, `one of ${Object.keys(COMMANDS).join(', ')}; see golive --help`)
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(HELP[command] ?? MAIN_HELP)
    return EXIT.go
  }
  return run(rest)
}

// every line golive prints passes the redactor (secrets registered when the config loads)
redactStreams()

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    if (e instanceof ConfigError) process.stderr.write(`golive: config error: ${stripControl(e.message)}\n`)
    else if (e instanceof UsageError)
      process.stderr.write(stripControl(`golive: ${e.message}${e.hint && !e.message.includes('\n  fix: ') ? `\n  fix: ${e.hint}` : ''}`) + '\n')
    else {
      process.stderr.write(
        `golive: unexpected error: ${stripControl((e as Error)?.message ?? String(e))}\n  (set GOLIVE_DEBUG=1 for the stack trace, and please report it)\n`,
      )
      if (process.env.GOLIVE_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`)
    }
    process.exitCode = EXIT.usage
  },
)
