// ANSI CSI sequences in console output (reference §8.1): ESP-IDF colours its records by level
// when CONFIG_LOG_COLORS is on (E red, W yellow, I green) and libjuice colours its levels when
// its stdout is a terminal. The parsers read the text without them; the level colour is kept so
// a view can show the line as the device coloured it.

/** Foreground colours of SGR codes 30–37, 39 (default) and 90–97. */
export type AnsiColour =
  | 'black' | 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'white' | 'default'
  | 'bright-black' | 'bright-red' | 'bright-green' | 'bright-yellow' | 'bright-blue' | 'bright-magenta' | 'bright-cyan' | 'bright-white'

export const ANSI_COLOURS: readonly AnsiColour[] = [
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'default',
  'bright-black', 'bright-red', 'bright-green', 'bright-yellow', 'bright-blue', 'bright-magenta', 'bright-cyan', 'bright-white',
]

const BASE: readonly AnsiColour[] = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white']
const BRIGHT: readonly AnsiColour[] = ['bright-black', 'bright-red', 'bright-green', 'bright-yellow', 'bright-blue', 'bright-magenta', 'bright-cyan', 'bright-white']

// eslint-disable-next-line no-control-regex -- CSI sequences start with ESC
const CSI = /\x1b\[[0-9;]*[A-Za-z]/g
// eslint-disable-next-line no-control-regex -- CSI sequences start with ESC
const SGR = /\x1b\[([0-9;]*)m/g

export const ESC = '\x1b'

/** The text without CSI sequences (the reference's `\x1b\[[0-9;]*[A-Za-z]`). */
export function stripAnsi(text: string): string {
  return text.indexOf(ESC) === -1 ? text : text.replace(CSI, '')
}

/** The foreground colour the first SGR sequence that sets one selects, if any. */
export function firstColour(text: string): AnsiColour | undefined {
  if (text.indexOf(ESC) === -1) return undefined
  SGR.lastIndex = 0
  for (let match = SGR.exec(text); match; match = SGR.exec(text)) {
    let colour: AnsiColour | undefined
    for (const param of (match[1] ?? '').split(';')) {
      const code = Number(param)
      if (code >= 30 && code <= 37) colour = BASE[code - 30]
      else if (code >= 90 && code <= 97) colour = BRIGHT[code - 90]
      else if (code === 39) colour = 'default'
    }
    if (colour) return colour
  }
  return undefined
}

/**
 * Where to cut a text that is too long so that no CSI sequence of ordinary length (up to 32
 * characters) and no UTF-16 surrogate pair is split: `at`, or a little before it. Depends only on
 * the characters before `at`, so the cut does not depend on how the input was chunked.
 */
export function safeCut(text: string, at: number): number {
  let cut = at
  const lookBack = Math.max(0, at - 32)
  const esc = text.lastIndexOf(ESC, at - 1)
  if (esc >= lookBack && esc > 0) {
    // Cut before an ESC whose sequence has not ended before `at`.
    let end = esc + 1
    if (text.charCodeAt(end) === 0x5b) {
      end++
      while (end < at && isCsiParameter(text.charCodeAt(end))) end++
      if (end >= at || !isCsiFinal(text.charCodeAt(end))) cut = esc
    } else if (end >= at) cut = esc
  }
  const last = text.charCodeAt(cut - 1)
  if (last >= 0xd800 && last <= 0xdbff && cut > 1) cut--
  return cut
}

function isCsiParameter(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || code === 0x3b
}

function isCsiFinal(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)
}
