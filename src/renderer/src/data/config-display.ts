// Settings as the page shows them: the value in the technician's words where a bare number
// or an empty text would mislead.
import type { ConfigField } from '../../../common/config'

export const CHANNEL_FOLLOWS_UPSTREAM = 'follows the upstream Wi-Fi'

export function displayValue(field: ConfigField | string, value: unknown): string {
  if (field === 'apChannel' && Number(value) === 0) return CHANNEL_FOLLOWS_UPSTREAM
  if (field === 'turnHost' && value === '') return 'none'
  if (value === '') return '(empty)'
  return String(value)
}

/**
 * Problems of a read configuration, without the one that says there are no bridge settings
 * at all: the page says that itself, in its place of the settings.
 */
export function problemsBesideSettings<T extends { message: string }>(problems: readonly T[], stored: readonly string[]): T[] {
  return stored.length > 0 ? [...problems] : problems.filter((problem) => !/^no bridge settings/i.test(problem.message))
}
