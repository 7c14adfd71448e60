// ESP-IDF's panic handler output: the Guru Meditation line, abort() and assert messages, stack
// overflows, the backtrace, the register dump and "Rebooting...".
import type { LogEventBody } from './events'
import type { ParserState } from './parser-state'

const GURU = /^Guru Meditation Error: Core\s+(\d+) panic'ed \(([^)]*)\)/
const ABORT = /^abort\(\) was called at PC (0x[0-9a-fA-F]+) on core (\d+)/
const STACK_OVERFLOW = /^\*\*\*ERROR\*\*\* A stack overflow in task (.+?) has been detected/
const FRAME = /(0x[0-9a-fA-F]+):(0x[0-9a-fA-F]+)/g
const REGISTER_DUMP = /^(?:Core\s+\d+ register dump:|Core\s+\d+ was running in ISR context|ELF file SHA256:|Stack memory:|CPU halted\.|[A-Z][A-Z0-9]* *: 0x[0-9a-fA-F]{8}\b)/

/** A panic handler line, or undefined. */
export function panicLine(text: string, state: ParserState): LogEventBody | undefined {
  const t = null
  const format = 'panic' as const
  switch (text.charCodeAt(0)) {
    case 71 /* G */: {
      const match = GURU.exec(text)
      if (!match) return undefined
      state.panicking = true
      return { kind: 'panic', t, format, reason: match[2] as string, core: Number(match[1]) }
    }
    case 97 /* a */: {
      const abort = ABORT.exec(text)
      if (abort) {
        state.panicking = true
        return { kind: 'panic', t, format, reason: 'abort', pc: abort[1] as string, core: Number(abort[2]) }
      }
      if (text.startsWith('assert failed: ') || (text.startsWith('assertion "') && text.includes('" failed: '))) {
        state.panicking = true
        return { kind: 'panic', t, format, reason: 'assert', detail: text }
      }
      return undefined
    }
    case 42 /* * */: {
      const overflow = STACK_OVERFLOW.exec(text)
      if (!overflow) return undefined
      state.panicking = true
      return { kind: 'panic', t, format, reason: 'stack-overflow', task: overflow[1] as string }
    }
    case 66 /* B */: {
      if (text.startsWith('Brownout detector was triggered')) return { kind: 'reboot', t, format, cause: 'brownout', announced: true }
      if (!text.startsWith('Backtrace:')) return undefined
      const frames: { pc: string; sp: string }[] = []
      FRAME.lastIndex = 0
      for (let match = FRAME.exec(text); match; match = FRAME.exec(text)) frames.push({ pc: match[1] as string, sp: match[2] as string })
      return { kind: 'backtrace', t, format, frames, ...(text.includes('CORRUPTED') ? { corrupted: true } : {}) }
    }
    case 82 /* R */:
      if (text !== 'Rebooting...') return undefined
      // Only the panic handler prints it; esp_restart() does not.
      state.panicking = false
      state.linked = false
      return { kind: 'reboot', t, format, cause: 'panic', announced: true }
    default:
      return state.panicking && REGISTER_DUMP.test(text) ? { kind: 'raw', t, format, text } : undefined
  }
}
