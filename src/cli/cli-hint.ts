// An error's hint as the CLI prints it: the backend's hint names the action in words every
// front end can use; here the CLI adds the command that does it.
import type { ErrorCode, PairKitError } from '../common/errors'

const CLI_ADDITIONS: Partial<Record<ErrorCode, string>> = {
  PORT_NOT_FOUND: '`pairkit ports` lists them.',
}

export function cliHint(error: PairKitError): string {
  return [error.hint, CLI_ADDITIONS[error.code]].filter(Boolean).join(' ')
}
