// The Commission view's inputs: checked before anything is sent (each problem names its field,
// so the page can focus it), and kept across reloads without a broker's password.
import type { RequestParams } from '../../../common/contract'
import { maskUrlPassword } from '../../../common/url-userinfo'
import type { ErrorView } from './error-view'
import { withoutUrlPassword } from './traffic-setup'

export interface CommissionInputs {
  a: string
  b: string
  pairId: string
  /** Site brokers: empty means the address the device's console announces. */
  siteA: string
  siteB: string
  notes: string
}

export function emptyInputs(): CommissionInputs {
  return { a: '', b: '', pairId: '', siteA: '', siteB: '', notes: '' }
}

const MQTT_URL = /^mqtts?:\/\/[^\s/]+/i

/** The commission.start parameters for these inputs, or what to correct first (with the field to focus). */
export function startParams(inputs: CommissionInputs, bundleId: string | undefined): { params: RequestParams<'commission.start'> } | { error: ErrorView; field?: string } {
  if (!inputs.a) return { error: { message: 'Choose device A (site A, role 1).' }, field: 'commission-a' }
  if (!inputs.b) return { error: { message: 'Choose device B (site B, role 2).' }, field: 'commission-b' }
  if (inputs.a === inputs.b) return { error: { message: 'A and B are the same device.', hint: 'Choose two different devices.' }, field: 'commission-b' }
  if (!bundleId) return { error: { message: 'No firmware is chosen.', hint: 'Drop the firmware build in the Flash view first; the commissioning writes it where a device differs.' } }
  if (!inputs.pairId) return { error: { message: 'Choose the pair to write.', hint: 'Make one in the Configure view if there is none.' }, field: 'commission-pair' }
  const siteA = inputs.siteA.trim()
  const siteB = inputs.siteB.trim()
  for (const [site, url] of [['A', siteA], ['B', siteB]] as const) {
    if (url && !MQTT_URL.test(url)) {
      return { error: { message: `"${maskUrlPassword(url)}" is not a broker address.`, hint: `Write site ${site}'s broker as mqtt://HOST:PORT, or leave it empty to use the one the device announces.` }, field: `commission-site-${site.toLowerCase()}` }
    }
  }
  return { params: { a: inputs.a, b: inputs.b, pairId: inputs.pairId, bundleId, ...(siteA ? { siteAMqtt: siteA } : {}), ...(siteB ? { siteBMqtt: siteB } : {}), notes: inputs.notes } }
}

/** The inputs as the page keeps them (ui.setState): the brokers without their passwords. */
export function keptInputs(inputs: CommissionInputs): CommissionInputs {
  return { ...inputs, siteA: withoutUrlPassword(inputs.siteA), siteB: withoutUrlPassword(inputs.siteB) }
}

/** Puts back what was kept, field by field; anything else is ignored. */
export function restoreInputs(inputs: CommissionInputs, kept: unknown): void {
  if (typeof kept !== 'object' || kept === null || Array.isArray(kept)) return
  const value = kept as Record<string, unknown>
  for (const key of ['a', 'b', 'pairId', 'siteA', 'siteB', 'notes'] as const) {
    const field = value[key]
    if (typeof field === 'string') inputs[key] = field
  }
}
