// The `pairkit` command: finds the subcommand, parses its options, runs it, and maps
// errors to exit codes (0 ok, 1 the operation failed, 2 usage error).
import { parseArgs } from 'node:util'
import { exitCodeFor, PairKitError } from '../common/errors'
import { cliHint } from './cli-hint'
import { UsageError, type Command } from './command'
import { COMMANDS } from './commands'
import { Output } from './output'

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

export async function runCli(argv: string[], out?: Output): Promise<number> {
  const wantsJson = argv.includes('--json')
  const output = out ?? new Output(wantsJson)
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    output.info(topLevelHelp())
    return argv.length === 0 ? 2 : 0
  }
  if (argv[0] === '--version') {
    const { PAIRKIT_VERSION } = await import('../main/version')
    output.info(PAIRKIT_VERSION)
    return 0
  }
  const found = findCommand(argv)
  if (!found) {
    const group = COMMANDS.filter((command) => command.name.startsWith(`${argv[0]} `))
    if (group.length > 0 && (argv.length === 1 || argv[1] === '--help' || argv[1] === '-h')) {
      output.info(groupHelp(argv[0] as string, group))
      return argv.length === 1 ? 2 : 0
    }
    output.error(`pairkit: unknown command "${argv.slice(0, group.length > 0 ? 2 : 1).join(' ')}". Run \`pairkit --help\` to see the commands.`)
    return 2
  }
  const { command, rest } = found
  if (rest.includes('--help') || rest.includes('-h')) {
    output.info(commandHelp(command))
    return 0
  }
  const controller = new AbortController()
  const onSigint = () => controller.abort()
  process.once('SIGINT', onSigint)
  try {
    const parsed = parseOptions(command, rest)
    const code = await command.run({ ...parsed, out: output, signal: controller.signal })
    return code ?? 0
  } catch (error) {
    if (error instanceof UsageError) {
      output.error(`pairkit ${command.name}: ${error.message}. Usage: pairkit ${command.usage}`)
      return 2
    }
    if (error instanceof PairKitError) {
      output.error(`pairkit ${command.name}: ${error.message}. ${cliHint(error)}`)
      if (output.json) process.stdout.write(JSON.stringify({ error: error.toJSON() }) + '\n')
      return exitCodeFor(error)
    }
    output.error(`pairkit ${command.name}: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  } finally {
    process.removeListener('SIGINT', onSigint)
  }
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  const two = `${argv[0]} ${argv[1] ?? ''}`
  const grouped = COMMANDS.find((command) => command.name === two)
  if (grouped) return { command: grouped, rest: argv.slice(2) }
  const single = COMMANDS.find((command) => command.name === argv[0])
  return single ? { command: single, rest: argv.slice(1) } : undefined
}

function parseOptions(command: Command, args: string[]): Pick<Parameters<Command['run']>[0], 'values' | 'positionals'> {
  let parsed
  try {
    parsed = parseArgs({ args, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true })
  } catch (error) {
    // parseArgs adds advice about "--" that does not fit a usage line; keep its first sentence.
    const message = error instanceof Error ? error.message : String(error)
    throw new UsageError(message.split(/\.\s/)[0]?.replace(/\.$/, '') ?? message)
  }
  const { json: _json, help: _help, ...values } = parsed.values
  const limits = command.positionals ?? { min: 0, max: 0 }
  if (parsed.positionals.length < limits.min) throw new UsageError('missing arguments')
  if (parsed.positionals.length > limits.max) throw new UsageError(`unexpected argument "${parsed.positionals[limits.max]}"`)
  return { values, positionals: parsed.positionals }
}

function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length))
  return [
    'pairkit: install, flash, configure and verify pairs of ESP32 serverless-MQTT bridges',
    '',
    'Usage: pairkit <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Every command takes --help, and --json for one JSON object per line on stdout.',
    'Exit codes: 0 ok, 1 the operation failed, 2 usage error.',
  ].join('\n')
}

function groupHelp(group: string, commands: Command[]): string {
  return [`pairkit ${group}: subcommands`, '', ...commands.map((command) => `  pairkit ${command.usage}\n      ${command.summary}`)].join('\n')
}

function commandHelp(command: Command): string {
  return [`Usage: pairkit ${command.usage}`, '', command.summary, '', command.help.trim()].join('\n')
}
