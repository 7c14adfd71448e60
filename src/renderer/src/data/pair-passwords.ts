// The passwords a pair needs entered again after they were lost (kept in memory only, and
// PairKit restarted): those its sites had — shown as •••• — and the password of the signalling
// broker's address. An empty password (an open network) stays empty and is not asked for.
import { fieldSpec, MASKED_URL_PASSWORD, REDACTED } from '../../../common/config'
import type { PairSummary, RequestParams } from '../../../common/contract'

export interface PasswordField {
  /** Unique within the form. */
  key: string
  label: string
}

type SitePassword = 'staPassword' | 'apPassword'
const SITE_PASSWORDS: readonly SitePassword[] = ['staPassword', 'apPassword']
const MASK = `:${MASKED_URL_PASSWORD}@`

export function neededPasswords(pair: PairSummary): PasswordField[] {
  const fields: PasswordField[] = []
  for (const side of ['a', 'b'] as const) {
    for (const field of SITE_PASSWORDS) {
      if (pair[side][field] === REDACTED) fields.push({ key: `${side}.${field}`, label: `Site ${side.toUpperCase()}: ${fieldSpec(field).label}` })
    }
  }
  if (pair.a.turnPassword === REDACTED || pair.b.turnPassword === REDACTED) fields.push({ key: 'turnPassword', label: fieldSpec('turnPassword').label })
  if (pair.a.signallingUri.includes(MASK)) fields.push({ key: 'signallingUri', label: `Password in the signalling broker address (${pair.a.signallingUri})` })
  return fields
}

/** The config.setPasswords request for what was entered (an empty password where the pair had none). */
export function setPasswordsParams(pair: PairSummary, entered: Readonly<Record<string, string>>): RequestParams<'config.setPasswords'> {
  const site = (side: 'a' | 'b') => Object.fromEntries(SITE_PASSWORDS.map((field) => [field, pair[side][field] === REDACTED ? (entered[`${side}.${field}`] ?? '') : '']))
  const params: RequestParams<'config.setPasswords'> = { pairId: pair.pairId, a: site('a'), b: site('b'), turnPassword: entered.turnPassword ?? '' }
  const masked = pair.a.signallingUri
  const at = masked.lastIndexOf(MASK)
  if (at >= 0) params.signallingUri = `${masked.slice(0, at + 1)}${entered.signallingUri ?? ''}${masked.slice(at + MASK.length - 1)}`
  return params
}
