// The TURN password for `pairkit peer --turn`. A password on the command line is visible to
// every user of the computer in the process list (ps, /proc/PID/cmdline), so it is taken
// from a file (--turn-password-file) or the environment (PAIRKIT_TURN_PASSWORD) instead;
// USER:PASS@HOST still works, with a warning.
import { PairKitError } from '../common/errors'
import { UsageError } from './command'

export const TURN_PASSWORD_ENV = 'PAIRKIT_TURN_PASSWORD'

export interface TurnCredentialSources {
  /** The --turn value: USER@HOST[:PORT], or USER:PASS@HOST[:PORT]; "turn:" or "turn://" may lead. */
  turn: string
  /** --turn-password-file: its first line is the password. */
  passwordFile?: string
  env: Readonly<Record<string, string | undefined>>
  readFile(file: string): string
  warn(message: string): void
}

export interface TurnCredentials {
  username: string
  password: string
  /** HOST or HOST:PORT, as given. */
  server: string
}

export const PASSWORD_ON_COMMAND_LINE_WARNING = `the TURN password in --turn can be read by every user of this computer in the process list; set ${TURN_PASSWORD_ENV} or use --turn-password-file FILE instead`

export function turnCredentials(sources: TurnCredentialSources): TurnCredentials {
  const text = sources.turn.replace(/^turn:(\/\/)?/i, '')
  // The server part holds no "@", so the credentials end at the last one.
  const at = text.lastIndexOf('@')
  const userinfo = at < 0 ? '' : text.slice(0, at)
  const server = text.slice(at + 1)
  const colon = userinfo.indexOf(':')
  const username = colon < 0 ? userinfo : userinfo.slice(0, colon)
  const inline = colon < 0 ? undefined : userinfo.slice(colon + 1)
  if (at < 0 || username === '' || server === '') throw new UsageError('--turn must be USER@HOST:PORT (the password from --turn-password-file or PAIRKIT_TURN_PASSWORD)')

  if (sources.passwordFile !== undefined) {
    if (inline !== undefined) throw new UsageError('give the TURN password once: in --turn-password-file or in --turn, not both')
    return { username, server, password: readPasswordFile(sources) }
  }
  if (inline !== undefined && inline !== '') {
    sources.warn(PASSWORD_ON_COMMAND_LINE_WARNING)
    return { username, server, password: inline }
  }
  const fromEnv = sources.env[TURN_PASSWORD_ENV]
  if (fromEnv !== undefined && fromEnv !== '') return { username, server, password: fromEnv }
  throw new UsageError(`--turn ${username}@${server} needs the TURN password: set ${TURN_PASSWORD_ENV} or pass --turn-password-file FILE`)
}

function readPasswordFile(sources: TurnCredentialSources): string {
  const file = sources.passwordFile as string
  let text: string
  try {
    text = sources.readFile(file)
  } catch (error) {
    throw new PairKitError('NOT_FOUND', `cannot read the TURN password file ${file}: ${(error as Error).message}`)
  }
  const password = text.split(/\r?\n/, 1)[0] ?? ''
  if (password === '') throw new UsageError(`${file} is empty: its first line must be the TURN password`)
  return password
}
