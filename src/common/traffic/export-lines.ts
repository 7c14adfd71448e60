// The JSON-lines export of a traffic session: one JSON object per line, the first one a header
// that says what the file is, then one per row, oldest first, with the payload as far as the
// buffer kept it (base64, and as text too when it is UTF-8). Source addresses appear with their
// passwords masked; payloads are the site's own data and are exported as they were.
import { bytesToBase64 } from '../base64'
import type { TrafficRow } from './model'

export const EXPORT_FORMAT = 'pairkit-traffic/1'

const strict = new TextDecoder('utf-8', { fatal: true })

export interface ExportHeader {
  format: typeof EXPORT_FORMAT
  sessionId: string
  pairId?: string
  exportedAt: number
  /** The sources as the UI shows them (addresses with passwords masked). */
  sources: { site: string; kind: string; label: string }[]
  firstId: number
  nextId: number
}

export function headerLine(header: ExportHeader): string {
  return JSON.stringify({ type: 'header', ...header }) + '\n'
}

export function rowLine(row: TrafficRow, payload: Uint8Array | undefined): string {
  const { preview: _preview, ...rest } = row
  const out: Record<string, unknown> = { type: 'message', ...rest }
  if (payload) {
    out.payload = bytesToBase64(payload)
    out.payloadComplete = payload.length >= row.size
    try {
      out.payloadText = strict.decode(payload)
    } catch {
      // Not UTF-8: base64 only.
    }
  }
  return JSON.stringify(out) + '\n'
}
