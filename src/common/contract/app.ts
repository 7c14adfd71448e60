import { z } from 'zod'

export const AppInfoSchema = z.object({
  name: z.literal('PairKit'),
  version: z.string(),
  /** Where the backend runs: inside Electron, or behind the browser host. */
  host: z.enum(['electron', 'browser']),
  platform: z.string(),
  /** Where passwords entered in the UI are kept: encrypted by the OS keychain, or in memory for this run only (and why). */
  secrets: z.object({ storage: z.enum(['os-encrypted', 'memory']), reason: z.string().optional() }),
  /** The folder where pairs, devices, history, the current bundle and the views' inputs are kept; absent: memory only. */
  dataDir: z.string().optional(),
  /**
   * When this backend started (ms since the epoch). A page that reconnects and finds another
   * value talks to a restarted backend: it reloads its lists, and passwords kept in memory only are gone.
   */
  startedAt: z.number(),
})
export type AppInfo = z.infer<typeof AppInfoSchema>

export const appRequests = {
  'app.info': { input: z.object({}).strict(), output: AppInfoSchema },
} as const

export const appEvents = {
  /** A line for the app's own activity log (never carries secrets). */
  'app.log': z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string(), time: z.number() }),
} as const
