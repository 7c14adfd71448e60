// What of the pair wizard is kept between runs (ui.setState): every setting but the passwords,
// and the broker address without the password it may carry. Passwords go to the backend once,
// with the request that makes the pair, and never into the stored view inputs.
import { hasUrlPassword, maskUrlPassword, MASKED_URL_PASSWORD, SECRET_FIELDS, type ConfigField } from '../../../common/config'

type Values = Record<string, string | number>

/** The form's parts as they are kept: secrets left out. */
export function keptPairInputs(parts: Record<'a' | 'b' | 'shared', Readonly<Values>>): Record<'a' | 'b' | 'shared', Values> {
  const keep = (values: Readonly<Values>): Values => {
    const kept: Values = {}
    for (const [field, value] of Object.entries(values)) {
      if (SECRET_FIELDS.includes(field as ConfigField)) continue
      kept[field] = typeof value === 'string' && field === 'signallingUri' ? withoutUrlPassword(value) : value
    }
    return kept
  }
  return { a: keep(parts.a), b: keep(parts.b), shared: keep(parts.shared) }
}

/** Puts kept values back into a form part: only its own fields, each of the type it has. */
export function restorePairInputs(target: Values, kept: unknown): void {
  if (typeof kept !== 'object' || kept === null || Array.isArray(kept)) return
  for (const [field, value] of Object.entries(kept as Record<string, unknown>)) {
    if (!Object.hasOwn(target, field) || SECRET_FIELDS.includes(field as ConfigField)) continue
    if (typeof value === typeof target[field] && (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))) target[field] = value
  }
}

/** mqtt://user:secret@host → mqtt://user@host. */
export function withoutUrlPassword(uri: string): string {
  if (!hasUrlPassword(uri)) return uri
  const masked = maskUrlPassword(uri)
  const at = masked.lastIndexOf(`:${MASKED_URL_PASSWORD}@`)
  return at < 0 ? masked : `${masked.slice(0, at)}${masked.slice(at + MASKED_URL_PASSWORD.length + 1)}`
}
