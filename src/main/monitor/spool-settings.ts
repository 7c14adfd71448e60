// The spool's size limit: PAIRKIT_MONITOR_SPOOL_MB (or the CLI's --spool-limit) when given,
// else what was set in the app (monitor/settings.json in the data folder), else 512 MiB.
import path from 'node:path'
import { z } from 'zod'
import { MONITOR_LIMITS, type MonitorSpoolSettings } from '../../common/contract/monitor'
import { PairKitError } from '../../common/errors'
import { readJsonFile, writeJsonFile } from '../state/json-file'
import { SETTINGS_FILE } from './spool-format'
import { DEFAULT_SPOOL_LIMIT_BYTES } from './spool-store'

export const SPOOL_LIMIT_ENV = 'PAIRKIT_MONITOR_SPOOL_MB'

const SettingsFileSchema = z.object({
  version: z.literal(1),
  spoolLimitBytes: z.number().int().min(MONITOR_LIMITS.spoolBytes.min).max(MONITOR_LIMITS.spoolBytes.max),
})

export interface SpoolLimit {
  bytes: number
  source: MonitorSpoolSettings['source']
}

/** MiB as typed (PAIRKIT_MONITOR_SPOOL_MB=2048, --spool-limit 64) to bytes; throws BAD_INPUT with the range. */
export function parseSpoolLimitMb(text: string, where: string): number {
  const mb = Number(text.trim())
  const bytes = mb * (1 << 20)
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || bytes < MONITOR_LIMITS.spoolBytes.min || bytes > MONITOR_LIMITS.spoolBytes.max) {
    throw new PairKitError('BAD_INPUT', `${where} is "${text}"; the monitor's spool limit is a number of MiB from 1 to ${MONITOR_LIMITS.spoolBytes.max / (1 << 20)}`, {
      hint: 'Give the size in MiB, e.g. 512.',
    })
  }
  return Math.floor(bytes)
}

/** The limit for this run, from the given value (MiB), the environment, the stored setting or the default. */
export function resolveSpoolLimit(spoolRoot: string | undefined, given?: string, env: NodeJS.ProcessEnv = process.env): SpoolLimit {
  if (given !== undefined) return { bytes: parseSpoolLimitMb(given, 'the spool limit'), source: 'environment' }
  const fromEnv = env[SPOOL_LIMIT_ENV]
  if (fromEnv !== undefined && fromEnv !== '') return { bytes: parseSpoolLimitMb(fromEnv, SPOOL_LIMIT_ENV), source: 'environment' }
  const stored = spoolRoot ? readJsonFile(path.join(spoolRoot, SETTINGS_FILE), SettingsFileSchema) : undefined
  if (stored) return { bytes: stored.spoolLimitBytes, source: 'setting' }
  return { bytes: DEFAULT_SPOOL_LIMIT_BYTES, source: 'default' }
}

export function storeSpoolLimit(spoolRoot: string, bytes: number): void {
  writeJsonFile(path.join(spoolRoot, SETTINGS_FILE), { version: 1, spoolLimitBytes: bytes })
}
