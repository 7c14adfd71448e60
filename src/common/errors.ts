// Errors carry a code (for programs), a message with the values (for people) and a hint
// (what to do next). The message says what happened and the hint what to do, each once,
// in words that fit every front end: the CLI adds its flags (src/cli), the UI its buttons. PairKitError is for device, user and input faults; BugError is for
// programming errors and is never thrown for user input.

export const ERROR_CODES = {
  INVALID_REQUEST: { exit: 2, hint: 'This is a bug in the caller: the message does not match the contract.' },
  USAGE: { exit: 2, hint: 'Run the command with --help to see its options.' },
  NOT_FOUND: { exit: 1, hint: 'Check the name or path and try again.' },
  PORT_BUSY: { exit: 1, hint: 'Close the other program (a serial monitor, another flasher) and try again.' },
  DEVICE_BUSY: { exit: 1, hint: 'Wait for the operation under way to finish, or cancel it.' },
  PORT_NOT_FOUND: { exit: 1, hint: 'Check the cable, and that the port is in the list of serial ports.' },
  PORT_DISCONNECTED: { exit: 1, hint: 'The device went away: check the USB cable and the port, then retry.' },
  NO_ANSWER: { exit: 1, hint: 'Hold BOOT, tap EN, and try again, or check the cable.' },
  ROM_STATUS: { exit: 1, hint: 'Retry; if it repeats, lower the baud rate or use a shorter cable.' },
  BAD_INPUT: { exit: 1, hint: 'Check the file: it may be truncated, corrupt or of another kind.' },
  IMAGE_CHIP_MISMATCH: { exit: 1, hint: 'Use the firmware built for this chip.' },
  FLASH_TOO_SMALL: { exit: 1, hint: 'Use a device with more flash, or a smaller firmware.' },
  VERIFY_FAILED: { exit: 1, hint: 'Flash again; if it repeats, the flash chip or the cable may be faulty.' },
  CANCELLED: { exit: 1, hint: 'The operation was stopped on request.' },
  TIMEOUT: { exit: 1, hint: 'Check the connection and try again.' },
  UNAVAILABLE: { exit: 1, hint: 'This part of PairKit is not available in this environment.' },
  INTERNAL: { exit: 1, hint: 'This is a bug in PairKit; please report it with the log.' },
} as const satisfies Record<string, { exit: number; hint: string }>

export type ErrorCode = keyof typeof ERROR_CODES

export interface SerializedError {
  code: ErrorCode
  message: string
  hint?: string
  detail?: string
}

export class PairKitError extends Error {
  readonly code: ErrorCode
  readonly hint: string
  readonly detail?: string

  constructor(code: ErrorCode, message: string, options: { hint?: string; detail?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'PairKitError'
    this.code = code
    this.hint = options.hint ?? ERROR_CODES[code].hint
    this.detail = options.detail
  }

  toJSON(): SerializedError {
    return { code: this.code, message: this.message, hint: this.hint, ...(this.detail ? { detail: this.detail } : {}) }
  }
}

export class BugError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BugError'
  }
}

export class CancelledError extends PairKitError {
  constructor(message = 'cancelled') {
    super('CANCELLED', message)
    this.name = 'CancelledError'
  }
}

/** Turns anything thrown into the shape that crosses a process boundary. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof PairKitError) return error.toJSON()
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'INTERNAL', message, hint: ERROR_CODES.INTERNAL.hint }
}

export function deserializeError(error: SerializedError): PairKitError {
  return new PairKitError(error.code, error.message, { hint: error.hint, detail: error.detail })
}

export function exitCodeFor(error: unknown): number {
  return error instanceof PairKitError ? ERROR_CODES[error.code].exit : 1
}
