// Errors raised while talking to the bootloader, in words a technician can act on.
import { PairKitError } from '../../common/errors'
import { describeOpcode } from '../../common/esp/opcodes'
import { describeStatusError } from '../../common/esp/status'

/** The chip answered with a failure status. `unsupported` marks "I don't know this command". */
export class CommandFailedError extends PairKitError {
  constructor(
    readonly op: number,
    readonly errorCode: number,
  ) {
    super('ROM_STATUS', `the chip refused ${describeOpcode(op)}: ${describeStatusError(errorCode)}`)
    this.name = 'CommandFailedError'
  }

  /** ROM "invalid message" (0x05) and the stub's "invalid command"/"not implemented". */
  get unsupported(): boolean {
    return this.errorCode === 0x05 || this.errorCode === 0xc3 || this.errorCode === 0xff
  }
}

export function noAnswerError(what: string, detail?: string): PairKitError {
  return new PairKitError('NO_ANSWER', `no answer from the chip${what ? ` (${what})` : ''}`, detail ? { detail } : {})
}

export function timeoutError(op: number, timeoutMs: number): PairKitError {
  return new PairKitError('TIMEOUT', `the chip stopped answering during ${describeOpcode(op)} (no reply in ${(timeoutMs / 1000).toFixed(1)} s)`, {
    hint: 'Check the cable and retry; if it repeats, lower the baud rate to 115200.',
  })
}
