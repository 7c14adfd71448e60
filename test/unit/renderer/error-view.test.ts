// Errors on the page: one sentence for what happened, one for what to do, never the same
// advice twice.
import { describe, expect, it } from 'vitest'
import { PairKitError } from '../../../src/common/errors'
import { asSentence, composeErrorView, errorView } from '../../../src/renderer/src/data/error-view'

describe('error view', () => {
  it('starts each sentence with a capital and ends it with a full stop', () => {
    expect(errorView(new PairKitError('NO_ANSWER', 'no answer from the chip (sync)'))).toEqual({
      message: 'No answer from the chip (sync).',
      hint: 'Hold BOOT, tap EN, and try again, or check the cable.',
    })
  })

  it('keeps the case of a leading path, address or name', () => {
    expect(asSentence('socket://nohost is not a port address PairKit can open')).toBe('socket://nohost is not a port address PairKit can open.')
    expect(asSentence('/dev/ttyUSB0 is busy')).toBe('/dev/ttyUSB0 is busy.')
    expect(asSentence('esp32c3 is not supported')).toBe('esp32c3 is not supported.')
    expect(asSentence('port busy: a probe job is already running')).toBe('Port busy: a probe job is already running.')
    expect(asSentence('Done already.')).toBe('Done already.')
  })

  it('leaves out a hint the message already gives', () => {
    expect(composeErrorView('the chip stopped answering: check the cable and retry', 'Check the cable and retry.')).toEqual({ message: 'The chip stopped answering: check the cable and retry.' })
    expect(composeErrorView('the chip stopped answering', 'Check the cable and retry.')).toEqual({ message: 'The chip stopped answering.', hint: 'Check the cable and retry.' })
  })

  it('shows anything thrown, not only PairKit errors', () => {
    expect(errorView(new Error('the drop is larger than 64 MiB'))).toEqual({ message: 'The drop is larger than 64 MiB.' })
    expect(errorView('plain text')).toEqual({ message: 'Plain text.' })
  })
})
