// Errors a user can fix. The CLI prints their message alone (no stack) and exits 2.

export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message)
    this.name = 'UsageError'
  }
}

/** A config problem: names the file, the path inside it, what was expected and the fix. */
export class ConfigError extends UsageError {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${file}: ${path || '(top level)'}: ${problem}\n  fix: ${fix}`)
    this.name = 'ConfigError'
  }
}

export const EXIT = { go: 0, noGo: 1, usage: 2 } as const
