// Each view's inputs (the chosen devices, the baud rate, the open pair …) as the UI stores
// them, so they survive a reload and a restart: a small key–value file, ui-state.json.
// Never secrets: a value with a key naming a password, secret or token anywhere inside it
// is refused, so a form with a password field cannot be saved by mistake.
import path from 'node:path'
import { z } from 'zod'
import { UI_STATE_LIMITS } from '../../common/contract/ui-state'
import { PairKitError } from '../../common/errors'
import { readJsonFile, writeJsonFile } from './json-file'

export const UI_STATE_FILE = 'ui-state.json'
const SECRET_KEY = /pass(word|wd)?$|password|secret|token|psk/i

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

const UiStateFileSchema = z.object({
  version: z.literal(1),
  values: z.record(z.string().regex(UI_STATE_LIMITS.keyPattern), z.json()),
})

export class UiStateStore {
  private readonly values: Map<string, Json>

  constructor(private readonly dataDir?: string) {
    const stored = this.file ? readJsonFile(this.file, UiStateFileSchema)?.values : undefined
    this.values = new Map(Object.entries(stored ?? {}).slice(0, UI_STATE_LIMITS.keys) as Array<[string, Json]>)
  }

  all(): Record<string, Json> {
    return Object.fromEntries(this.values)
  }

  /** Stores one value; null removes the key. */
  set(key: string, value: Json): void {
    if (value === null) {
      if (this.values.delete(key)) this.save()
      return
    }
    const bytes = new TextEncoder().encode(JSON.stringify(value)).length
    if (bytes > UI_STATE_LIMITS.valueBytes) {
      throw new PairKitError('BAD_INPUT', `the value for "${key}" is ${bytes} bytes; at most ${UI_STATE_LIMITS.valueBytes} are kept per key`, { hint: 'Keep only the inputs a view needs to come back as it was.' })
    }
    const secret = secretKeyIn(key, value)
    if (secret) {
      throw new PairKitError('BAD_INPUT', `"${secret}" looks like a password, secret or token, and view inputs are kept on disk in clear`, { hint: 'Leave passwords out of what a view stores; they go to the backend once, with the request that needs them.' })
    }
    if (!this.values.has(key) && this.values.size >= UI_STATE_LIMITS.keys) {
      throw new PairKitError('BAD_INPUT', `at most ${UI_STATE_LIMITS.keys} view inputs are kept`, { hint: 'Store a view\'s inputs under one key.' })
    }
    this.values.set(key, value)
    this.save()
  }

  private save(): void {
    if (!this.file) return
    try {
      writeJsonFile(this.file, { version: 1, values: this.all() })
    } catch (error) {
      console.warn(`PairKit could not save the views' inputs to ${this.file}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  private get file(): string | undefined {
    return this.dataDir ? path.join(this.dataDir, UI_STATE_FILE) : undefined
  }
}

/** The first key (the store's key or one inside the value) that names a secret. */
function secretKeyIn(key: string, value: Json): string | undefined {
  if (SECRET_KEY.test(key)) return key
  const stack: Json[] = [value]
  while (stack.length > 0) {
    const item = stack.pop() as Json
    if (Array.isArray(item)) stack.push(...item)
    else if (item !== null && typeof item === 'object') {
      for (const [inner, child] of Object.entries(item)) {
        if (SECRET_KEY.test(inner)) return inner
        stack.push(child)
      }
    }
  }
  return undefined
}
