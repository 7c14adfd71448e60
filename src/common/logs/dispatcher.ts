// One line to its parser. The checks go from cheap to dear: the first character and a few
// fixed positions choose the format, so a line no parser knows costs a handful of comparisons
// and no regular expression.
import { Continuation, WithLeading, type Parsed } from './continuation'
import { espError, espRaw, parseEspRecord, startsLikeEspRecord } from './esp-idf'
import { agentLines, apprtcLines, espPeerPrintf, peerDefaultLines, sctpLines } from './esp-peer'
import type { LogEventBody } from './events'
import { bridgeLines, juicePeerLines, netifLines, webrtcLines, wifiLines, type EspHandler } from './example'
import { examplePrintf } from './example-printf'
import { juiceLine, startsLikeJuiceRecord } from './libjuice'
import { mosquittoLine } from './mosquitto'
import { panicLine } from './panic'
import type { ParserState } from './parser-state'
import { appInfoLines, bootloaderLines, mainTaskLines, romLine } from './rom-bootloader'

/** ESP-IDF tags whose messages mean something here; every other tag's record is raw (or an error). */
const ESP_HANDLERS: ReadonlyMap<string, EspHandler> = new Map<string, EspHandler>([
  ['serverless_mqtt', bridgeLines],
  ['serverless_mqtt1', juicePeerLines],
  ['serverless_mqtt2', juicePeerLines],
  ['serverless_wifi', wifiLines],
  ['esp_netif_handlers', netifLines],
  ['serverless_mqtt_webrtc', webrtcLines],
  ['AGENT', agentLines],
  ['PEER_DEF', peerDefaultLines],
  ['SCTP', sctpLines],
  ['APPRTC_SIG', apprtcLines],
  ['boot', bootloaderLines],
  ['cpu_start', appInfoLines],
  ['app_init', appInfoLines],
  ['main_task', mainTaskLines],
])

export function parseLine(text: string, state: ParserState): Parsed {
  const c = text.charCodeAt(0)
  if (c >= 48 && c <= 57) {
    if (startsLikeJuiceRecord(text)) return juiceLine(text) ?? textLine(text)
    return mosquittoLine(text, state) ?? espPeerPrintf(text) ?? textLine(text)
  }
  if (startsLikeEspRecord(text)) {
    const parsed = espLine(text, state)
    if (parsed) return parsed
  }
  return examplePrintf(text) ?? romLine(text, state) ?? panicLine(text, state) ?? espPeerPrintf(text) ?? textLine(text)
}

function espLine(text: string, state: ParserState): Parsed | undefined {
  const record = parseEspRecord(text)
  if (!record) return undefined
  const parsed = ESP_HANDLERS.get(record.tag)?.(record, state)
  if (record.level !== 'E') return parsed ?? espRaw(text, record)
  // Every E-level record is an error event, before what it means in particular.
  const error = espError(record)
  if (parsed === undefined) return error
  if (parsed instanceof Continuation) return new WithLeading([error], parsed)
  return Array.isArray(parsed) ? [error, ...parsed] : [error, parsed]
}

function textLine(text: string): LogEventBody {
  return { kind: 'raw', t: null, format: 'text', text }
}
