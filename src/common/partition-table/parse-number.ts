// Numbers as gen_esp32part reads them: Python int(x, 0) (0x…, 0o…, 0b…, decimal, "_"
// separators), an optional K or M suffix (×1024, ×1024², applied recursively as the
// generator does), or a keyword such as "app" or "nvs" (case-insensitive).

export type ParsedNumber = { ok: true; value: number } | { ok: false; message: string }

export function parseGeneratorNumber(text: string, keywords: Readonly<Record<string, number>> = {}): ParsedNumber {
  const suffix = text.slice(-1).toLowerCase()
  if (text.length > 0 && (suffix === 'k' || suffix === 'm')) {
    const inner = parseGeneratorNumber(text.slice(0, -1), keywords)
    if (inner.ok) return { ok: true, value: inner.value * (suffix === 'k' ? 1024 : 1024 * 1024) }
  }
  const value = pythonInt(text)
  if (value !== undefined) return { ok: true, value }
  const names = Object.keys(keywords)
  if (names.length === 0) return { ok: false, message: `"${text}" is not a number` }
  const keyword = keywords[text.toLowerCase()]
  if (keyword !== undefined && Object.hasOwn(keywords, text.toLowerCase())) return { ok: true, value: keyword }
  return { ok: false, message: `"${text}" is not a number or one of: ${names.join(', ')}` }
}

/** Python's int(text, 0): a prefix picks the base; decimal may not have leading zeros. */
function pythonInt(text: string): number | undefined {
  const match = /^([+-]?)(?:0[xX](_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)|0[oO](_?[0-7]+(?:_[0-7]+)*)|0[bB](_?[01]+(?:_[01]+)*)|([1-9](?:_?\d)*|0+(?:_?0)*))$/.exec(text.trim())
  if (!match) return undefined
  const [, sign, hexDigits, octDigits, binDigits, decDigits] = match
  const clean = (digits: string) => digits.replace(/_/g, '')
  let value: number
  if (hexDigits !== undefined) value = parseInt(clean(hexDigits), 16)
  else if (octDigits !== undefined) value = parseInt(clean(octDigits), 8)
  else if (binDigits !== undefined) value = parseInt(clean(binDigits), 2)
  else value = parseInt(clean(decDigits as string), 10)
  if (!Number.isSafeInteger(value)) return undefined
  return sign === '-' ? -value : value
}
