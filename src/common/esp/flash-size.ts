// Flash sizes as technicians and esptool write them: "4MB", "4 MB", "4M", "512KB". One
// parser and one formatter for every command-line option, build file and message.

const KB = 1024
const MB = 1024 * 1024

/**
 * "4MB", "4 MB", "4M", "512KB", "512K" (any case) → bytes; undefined for anything else,
 * including the build files' "keep" and "detect".
 */
export function parseFlashSize(text: string): number | undefined {
  const match = /^(\d+)\s*([KM])B?$/i.exec(text.trim())
  if (!match) return undefined
  const bytes = Number(match[1]) * ((match[2] ?? '').toUpperCase() === 'M' ? MB : KB)
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined
}

/** 4194304 → "4MB", 524288 → "512KB" (esptool's spelling); `separator` ' ' gives "4 MB" for prose. */
export function formatFlashSize(bytes: number, separator = ''): string {
  if (bytes >= MB && bytes % MB === 0) return `${bytes / MB}${separator}MB`
  if (bytes >= KB && bytes % KB === 0) return `${bytes / KB}${separator}KB`
  return `${bytes}${separator}bytes`
}

/** A size SPI flash chips come in (esptool's detected sizes): a power of two from 256 KB to 256 MB. */
export function isStandardFlashSize(bytes: number): boolean {
  return bytes >= 256 * KB && bytes <= 256 * MB && (bytes & (bytes - 1)) === 0
}
