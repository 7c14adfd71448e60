// Explicit parts: "0x10000=build/app.bin", as a technician types them.

export interface OffsetFileArg {
  offset: number
  path: string
}

/** "0x1000", "4096", "64K" → bytes; undefined when it is not a flash offset. */
export function parseFlashOffset(text: string): number | undefined {
  const match = /^\s*(0x[0-9a-f]+|\d+)\s*(k|m)?\s*$/i.exec(text)
  if (!match) return undefined
  const base = Number(match[1])
  const unit = match[2]?.toLowerCase()
  const value = base * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : 1)
  return Number.isSafeInteger(value) && value < 0x100000000 ? value : undefined
}

/** Parses "OFFSET=FILE"; undefined when the argument does not have that shape. */
export function parseOffsetFileArg(arg: string): OffsetFileArg | undefined {
  const at = arg.indexOf('=')
  if (at <= 0 || at === arg.length - 1) return undefined
  const offset = parseFlashOffset(arg.slice(0, at))
  return offset === undefined ? undefined : { offset, path: arg.slice(at + 1) }
}

/**
 * For an argument shaped OFFSET=FILE whose OFFSET is not a flash offset ("0xZZ=app.bin"):
 * the sentence saying how to write it. Undefined for anything else.
 */
export function badOffsetInArg(arg: string): string | undefined {
  const at = arg.indexOf('=')
  if (at <= 0 || at === arg.length - 1 || parseOffsetFileArg(arg)) return undefined
  const offset = arg.slice(0, at).trim()
  return `${offset} is not a flash offset: write it in hex or decimal, e.g. 0x10000=${arg.slice(at + 1)}`
}
