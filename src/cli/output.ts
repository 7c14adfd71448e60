// Where a command's results go: human text, or with --json one JSON object per line.
import type { Writable } from 'node:stream'

export class Output {
  constructor(
    readonly json: boolean,
    private readonly stdout: Writable = process.stdout,
    private readonly stderr: Writable = process.stderr,
  ) {}

  /** A result: `value` as one JSON line with --json, otherwise the human text. */
  result(value: unknown, human: () => string): void {
    if (this.json) this.stdout.write(JSON.stringify(value) + '\n')
    else this.stdout.write(ensureNewline(human()))
  }

  /** Human-only text (progress, notes); with --json it goes to stderr so stdout stays parseable. */
  info(text: string): void {
    ;(this.json ? this.stderr : this.stdout).write(ensureNewline(text))
  }

  warn(text: string): void {
    this.stderr.write(ensureNewline(`warning: ${text}`))
  }

  error(text: string): void {
    this.stderr.write(ensureNewline(text))
  }
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : text + '\n'
}
