// What PairKit found when it probed a device again by itself after writing to it (a flash or
// pair settings): what it now runs and which pair it belongs to, or why it could not tell.
import { ProbeResultSchema, type ProbeResult } from '../../../common/contract'
import { SerializedErrorSchema } from '../../../common/rpc/messages'
import { serializedErrorView, type ErrorView } from './error-view'
import { roleName } from './device-view'

export type ReprobeView = { text: string } | { error: ErrorView }

/** The probe carried by a write job's result; undefined when the result carries neither a probe nor its failure. */
export function reprobeView(result: unknown): ReprobeView | undefined {
  if (typeof result !== 'object' || result === null) return undefined
  const { probe, reprobeError } = result as { probe?: unknown; reprobeError?: unknown }
  const parsed = ProbeResultSchema.safeParse(probe)
  if (parsed.success) return { text: `Probed again: ${probeSummary(parsed.data)}.` }
  const failed = SerializedErrorSchema.safeParse(reprobeError)
  if (failed.success) return { error: serializedErrorView(failed.data) }
  return undefined
}

/** "ESP32-D0WD-V3, running hello-world 1.0, pair 5f0c…, site A (role 1)". */
export function probeSummary(probe: ProbeResult): string {
  const app = probe.apps?.find((entry) => entry.descriptor)?.descriptor
  const parts = [probe.description ?? probe.chip, app ? `running ${app.projectName} ${app.version}` : 'no app found']
  const settings = probe.config
  const pairId = settings?.stored.includes('pairId') ? settings.config.pairId : undefined
  const role = settings?.stored.includes('role') ? settings.config.role : undefined
  if (typeof pairId === 'string' && pairId !== '') parts.push(`pair ${pairId}${role === 1 || role === 2 ? `, ${roleName(role)}` : ''}`)
  else parts.push('no pair settings')
  return parts.join(', ')
}
