// Shared by probe, flash, erase and read-flash: run one FlasherService job, print its
// progress (human: one updating line on stderr; --json: one object per event), and turn
// a failed or cancelled job into an error with the device's state in the message.
import { PairKitError, deserializeError } from '../../common/errors'
import type { FlasherJobState } from '../../common/flasher/job-state'
import { Throttle } from '../../common/flasher/progress'
import type { FlasherRequest } from '../../main/flasher'
import { UsageError } from '../command'
import type { Output } from '../output'

export async function runFlasherJob(request: FlasherRequest, out: Output, signal: AbortSignal): Promise<{ state: FlasherJobState; value?: unknown }> {
  const { FlasherService } = await import('../../main/flasher')
  const service = new FlasherService()
  // One progress line every 250 ms is enough for a terminal; the last one always shows.
  const progressLine = new Throttle(250)
  service.onDidChangeJob((state) => {
    if (out.json) {
      if (state.type !== 'done') out.result(state, () => '')
      return
    }
    if (state.type === 'warning') out.warn(state.message)
    else if (state.type === 'connecting') out.info(`${state.stage}…`)
    else if (state.type === 'progress' && process.stderr.isTTY) {
      if (!progressLine.due(state.percent >= 100)) return
      const eta = state.etaSeconds !== undefined ? `, ${state.etaSeconds.toFixed(0)} s left` : ''
      process.stderr.write(`\r${state.phase} ${state.percent.toFixed(1)} % (${Math.round((state.bytesPerSecond * 8) / 1000)} kbit/s${eta})   `)
      if (state.percent >= 100) process.stderr.write('\n')
    }
  })
  const id = service.start(request)
  const onAbort = () => service.cancel(id)
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    const outcome = await service.wait(id)
    const state = outcome.state
    if (state.type === 'failed') {
      const error = deserializeError(state.error)
      throw new PairKitError(error.code, `${error.message} (${state.deviceState})`, { hint: error.hint, ...(error.detail ? { detail: error.detail } : {}) })
    }
    if (state.type === 'cancelled') throw new PairKitError('CANCELLED', `cancelled: ${state.deviceState}`)
    return outcome
  } finally {
    signal.removeEventListener('abort', onAbort)
    await service.dispose()
  }
}

/** --port is required; --baud a positive integer. */
export function connectOptionsFrom(values: Record<string, unknown>): { port: string; baud?: number; stub: boolean; reset: boolean } {
  const port = values.port
  if (typeof port !== 'string' || port.length === 0) throw new UsageError('--port is required (a device path, socket://HOST:PORT or rfc2217://HOST:PORT)')
  let baud: number | undefined
  if (typeof values.baud === 'string') {
    baud = Number(values.baud)
    if (!Number.isInteger(baud) || baud < 9600 || baud > 4_000_000) throw new UsageError(`--baud ${values.baud} is not a baud rate`)
  }
  return { port, ...(baud ? { baud } : {}), stub: values['no-stub'] !== true, reset: values['no-reset'] !== true }
}

export const CONNECT_OPTIONS = {
  port: { type: 'string' },
  baud: { type: 'string' },
  'no-stub': { type: 'boolean' },
  'no-reset': { type: 'boolean' },
} as const
