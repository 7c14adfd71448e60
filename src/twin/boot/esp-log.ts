// ESP-IDF console records, `I (ms) tag: message`, with the colour codes the default
// CONFIG_LOG_COLORS build adds (E red, W yellow, I green; D/V plain).
import { formatEspLog, type EspLogLevel } from '../../common/serverless/firmware-log'

const COLOURS: Partial<Record<EspLogLevel, string>> = { E: '\x1b[0;31m', W: '\x1b[0;33m', I: '\x1b[0;32m' }
const RESET = '\x1b[0m'

export function espLogLine(level: EspLogLevel, ms: number, tag: string, message: string, colours: boolean): string {
  const line = formatEspLog({ level, timestamp: Math.max(0, Math.round(ms)), tag, message })
  const colour = colours ? COLOURS[level] : undefined
  return (colour ? `${colour}${line}${RESET}` : line) + '\r\n'
}
