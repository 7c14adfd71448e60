import { z } from 'zod'

/**
 * Each view's inputs (the chosen devices, the baud rate, the open pair …), kept by the backend
 * in the data folder so they survive a reload and a restart. Never secrets: the backend refuses
 * a value with a key that names a password, secret or token anywhere in it.
 */
export const UI_STATE_LIMITS = {
  /** Keys such as "flash.selected"; at most this many. */
  keys: 64,
  keyPattern: /^[a-z0-9][a-z0-9._-]{0,63}$/i,
  /** Bytes of one value as JSON. */
  valueBytes: 16 * 1024,
} as const

const Key = z.string().regex(UI_STATE_LIMITS.keyPattern, { message: 'a key is 1 to 64 letters, digits, ".", "_" or "-"' })

export const uiStateRequests = {
  /** Every stored value by key. */
  'ui.getState': { input: z.object({}).strict(), output: z.object({ values: z.record(z.string(), z.json()) }) },
  /** Stores one value (JSON, at most 16 KiB); null removes the key. */
  'ui.setState': { input: z.object({ key: Key, value: z.json() }).strict(), output: z.object({}) },
} as const

export const uiStateEvents = {} as const
