// How the Traffic view writes a message: its direction and fate in a few words (the full
// sentence goes in the title and the detail pane), its time to the millisecond, and its payload
// as text, pretty JSON or hex.
import { base64ToBytes } from '../../../common/base64'
import type { LostReason, TrafficRow } from '../../../common/traffic/model'

export type DirectionTone = 'a-to-b' | 'b-to-a' | 'local' | 'lost' | 'pending' | 'other'

export interface DirectionCell {
  text: string
  tone: DirectionTone
  /** One sentence for the tooltip and the detail pane, when there is more to say. */
  title?: string
}

const LOST_WORDS: Record<LostReason, string> = {
  'too-long': 'too long for the bridge',
  'not-linked': 'no peer link',
  'stock-receive-bug': 'stock receive bug',
  'short-payload': 'short payload',
  'invalid-message': 'rejected by the receiver',
  'peer-drop': "dropped by PairKit's peer",
  'not-forwarded': 'not forwarded',
  'link-loss': 'lost on the link',
  unknown: 'no reason logged',
}

export function lostWords(reason: LostReason | undefined): string {
  return LOST_WORDS[reason ?? 'unknown']
}

function arrow(direction: TrafficRow['direction']): string | undefined {
  if (direction === 'a-to-b') return 'A → B'
  if (direction === 'b-to-a') return 'B → A'
  return undefined
}

/** The direction column: A → B, B → A, local, lost with its reason, … */
export function directionCell(row: Pick<TrafficRow, 'direction' | 'fate' | 'site' | 'lostReason' | 'detail'>): DirectionCell {
  const way = arrow(row.direction)
  const title = row.detail
  const withTitle = (cell: DirectionCell): DirectionCell => (title ? { ...cell, title } : cell)
  switch (row.fate) {
    case 'crossed':
      return withTitle({ text: way ?? 'crossed', tone: row.direction === 'b-to-a' ? 'b-to-a' : 'a-to-b' })
    case 'lost':
      return withTitle({ text: `${way ?? ''} lost: ${lostWords(row.lostReason)}`.trim(), tone: 'lost' })
    case 'duplicate':
      return withTitle({ text: `${way ?? ''} duplicate`.trim(), tone: 'other' })
    case 'local':
      return withTitle({ text: 'local', tone: 'local' })
    case 'unseen':
      return { text: `${row.site} only`, tone: 'other', title: title ?? `Seen on site ${row.site}; nothing watches site ${row.site === 'A' ? 'B' : 'A'}, so whether it crossed is not known.` }
    case 'pending':
      return { text: way ? `${way} …` : '…', tone: 'pending', title: 'Waiting for its counterpart on the other site (within the correlation window).' }
  }
}

/** 14:02:33.125 */
export function formatClock(time: number): string {
  const date = new Date(time)
  const two = (value: number) => String(value).padStart(2, '0')
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** The bytes as text when they are UTF-8 without control characters other than tab and line ends. */
export function asText(bytes: Uint8Array): string | undefined {
  let text: string
  try {
    text = strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
  // A preview may end inside a character: a cut sequence is not a reason to call it binary.
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text
}

/** Decodes a preview that may end in the middle of a UTF-8 sequence. */
function previewText(bytes: Uint8Array): string | undefined {
  for (let cut = 0; cut < 4 && cut < bytes.length; cut++) {
    const text = asText(cut === 0 ? bytes : bytes.subarray(0, bytes.length - cut))
    if (text !== undefined) return text
  }
  return bytes.length === 0 ? '' : undefined
}

export function hexBytes(bytes: Uint8Array, max = bytes.length): string {
  const shown = bytes.subarray(0, max)
  return Array.from(shown, (byte) => byte.toString(16).padStart(2, '0')).join(' ')
}

/** The preview column: the payload's start as one line of text, or as hex when it is binary. */
export function previewCell(row: Pick<TrafficRow, 'preview' | 'size' | 'source'>, maxChars = 160): { text: string; binary: boolean } {
  if (row.preview === undefined) return { text: row.source === 'peer' ? `${row.size} bytes (the peer reports sizes only)` : '', binary: false }
  const bytes = base64ToBytes(row.preview) ?? new Uint8Array()
  const text = previewText(bytes)
  if (text === undefined) return { text: hexBytes(bytes, 48) + (bytes.length > 48 || row.size > bytes.length ? ' …' : ''), binary: true }
  const line = text.replace(/\s+/g, ' ')
  return { text: line.length > maxChars ? `${line.slice(0, maxChars)}…` : line, binary: false }
}

/** The payload as pretty JSON, when it is JSON (an object or an array: a bare number is text). */
export function prettyJson(text: string): string | undefined {
  const trimmed = text.trim()
  if (!/^[[{]/.test(trimmed)) return undefined
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2)
  } catch {
    return undefined
  }
}

/** A hex dump: offset, 16 bytes, and the printable ones as text. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = []
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const chunk = bytes.subarray(offset, offset + 16)
    const hex = hexBytes(chunk).padEnd(16 * 3 - 1, ' ')
    const ascii = Array.from(chunk, (byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('')
    lines.push(`${offset.toString(16).padStart(4, '0')}  ${hex}  ${ascii}`)
  }
  return lines.join('\n')
}

/** 12 345 (a thin space between thousands reads in every language). */
export function formatCount(value: number): string {
  return Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f')
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 100) return `${formatCount(perSecond)}/s`
  if (perSecond >= 10) return `${perSecond.toFixed(0)}/s`
  return `${perSecond.toFixed(perSecond > 0 && perSecond < 1 ? 2 : 1).replace(/\.0+$/, '')}/s`
}
