import type { ParseArgsConfig } from 'node:util'
import type { Output } from './output'

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>

export interface CommandRun {
  /** Parsed option values (parseArgs), without the global --json and --help. */
  values: Record<string, string | boolean | string[] | boolean[] | undefined>
  positionals: string[]
  out: Output
  /** Aborted on Ctrl-C: long-running commands stop cleanly. */
  signal: AbortSignal
}

/**
 * One CLI command. `name` may have two words ("nvs dump") for grouped commands.
 * `run` returns the exit code (0 when it returns nothing) or throws: a UsageError
 * exits 2, any other error exits 1 with its message and hint on stderr.
 *
 * Every `pairkit` run loads every command module (the help lists them all), so a command
 * imports statically only what its help and option checks need, and loads the services it
 * runs (brokers, serial ports, the flasher, the twin, the web host) inside `run`.
 */
export interface Command {
  readonly name: string
  readonly summary: string
  /** The synopsis after "pairkit", e.g. "ports [--json]". */
  readonly usage: string
  /** Longer help: what it does, each option, an example. */
  readonly help: string
  readonly options: OptionsConfig
  readonly positionals?: { min: number; max: number }
  run(input: CommandRun): Promise<number | void>
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}
