// Turns the PairKit peer's firmware lines (src/main/peer/firmware-console.ts) into the twin's
// console as the real firmware prints it: re-stamped with the twin's uptime, in the firmware's
// order (reference §3.2 and the README sample: SDP desc, gathering/connecting states, STUN
// result, "Gathering done", JSON desc, then the signalling client), with the libjuice lines the
// peer has no reason to print, and with the stock firmware's receive bug applied.
import { FIRMWARE_MESSAGES, JUICE_MESSAGES, type EspLogLevel, type JuiceLogLevel } from '../../common/serverless/firmware-log'
import { peerLogTag, type PeerRole } from '../../common/serverless/constants'
import { parseJuiceLog } from '../../common/serverless/firmware-log'

export interface ConsoleOut {
  esp(level: EspLogLevel, tag: string, message: string): void
  juice(level: JuiceLogLevel, file: string, line: number, message: string): void
  /** printf output, no prefix. */
  raw(text: string): void
}

/** libjuice lines at INFO (reference §8.4, file:line at the pinned commit) the peer does not print. */
export const JUICE_EXTRA = {
  stunBindingOk: { file: 'agent.c', line: 1378, text: 'STUN server binding successful' },
  stunMapped: { file: 'agent.c', line: 1397, text: (hostPort: string) => `Got STUN mapped address ${hostPort} from server` },
  stunBindingFailed: { file: 'agent.c', line: 841, text: 'STUN server binding failed' },
  connectivityExpired: { file: 'agent.c', line: 1076, text: 'Connectivity timer expired' },
} as const

/** The stock firmware's juice_recv line for every datagram (§9 item 1); tag serverless_mqtt1/2. */
export const NO_LOCAL_CLIENT = 'No local mqtt client, dropping data'
/** esp-mqtt's MQTT_EVENT_BEFORE_CONNECT, which the signalling handler logs as "Other event id:7". */
const BEFORE_CONNECT_LINE = 'Other event id:7'

const ESP_RECORD = /^([EWIDV]) \((\d+)\) ([^:\s]+): ([\s\S]*)$/
const SRFLX = /a=candidate:\S+ \d+ UDP \d+ (\S+) (\d+) typ srflx/i

export type ReceiveQuirk = 'forward' | 'drop-all'

export class PeerConsole {
  private readonly tag: string
  /** Lines of the gathering phase, held until the JSON description shows what gathering found. */
  private held: { sdp?: string; stun?: string; others: string[] } | undefined = { others: [] }
  private swallowPayload = false

  constructor(
    private readonly out: ConsoleOut,
    role: PeerRole,
    private readonly receive: ReceiveQuirk,
  ) {
    this.tag = peerLogTag(role)
  }

  line(text: string): void {
    const esp = ESP_RECORD.exec(text)
    if (esp) return this.espLine(esp[1] as EspLogLevel, esp[3] as string, esp[4] as string)
    const juice = parseJuiceLog(text)
    if (juice) return this.juiceLine(juice.level, juice.file, juice.line, juice.message)
    this.out.raw(text)
  }

  /** Prints whatever is held (a round that failed before its JSON description). */
  flush(): void {
    const held = this.held
    this.held = undefined
    if (!held) return
    if (held.sdp !== undefined) this.out.esp('I', this.tag, held.sdp)
    if (held.stun !== undefined) this.out.juice('INFO', JUICE_MESSAGES.stunServer.file, JUICE_MESSAGES.stunServer.line, held.stun)
    for (const line of held.others) this.line(line)
  }

  private espLine(level: EspLogLevel, tag: string, message: string): void {
    const held = this.held
    if (held) {
      if (tag === this.tag && message.startsWith('desc: {')) return this.gatheringDone(held, level, message)
      if (tag === this.tag && message.startsWith('desc: ')) held.sdp = message
      else if (tag === this.tag && message === FIRMWARE_MESSAGES.gatheringDone) return
      else held.others.push(`${level} (0) ${tag}: ${message}`)
      return
    }
    if (tag === this.tag && message === FIRMWARE_MESSAGES.juiceState('connecting')) {
      // libjuice is already "connecting" since gathering; setting the remote description starts
      // the connectivity timer instead (agent.c:2412).
      const timer = JUICE_MESSAGES.connectivityTimer
      return this.out.juice('INFO', timer.file, timer.line, timer.text())
    }
    if (this.receive === 'drop-all' && tag === 'serverless_mqtt') {
      // juice_recv() checks its own, never-set s_local_mqtt before peer_recv() sees anything.
      if (message.startsWith('forwarding remote message: topic:') || message === FIRMWARE_MESSAGES.invalidMessage) {
        this.swallowPayload = message !== FIRMWARE_MESSAGES.invalidMessage
        return this.out.esp('I', this.tag, NO_LOCAL_CLIENT)
      }
      if (this.swallowPayload && message.startsWith('forwarding remote message: payload:')) {
        this.swallowPayload = false
        return
      }
    }
    this.out.esp(level, tag, message)
  }

  private juiceLine(level: JuiceLogLevel, file: string, line: number, message: string): void {
    const held = this.held
    if (held && file === JUICE_MESSAGES.stunServer.file && line === JUICE_MESSAGES.stunServer.line) held.stun = message
    else if (held && line === JUICE_MESSAGES.gatheringDone.line) return
    else if (held) held.others.push(`${formatHeldJuice(level, file, line, message)}`)
    else this.out.juice(level, file, line, message)
  }

  private gatheringDone(held: NonNullable<PeerConsole['held']>, level: EspLogLevel, json: string): void {
    this.held = undefined
    const { out, tag } = this
    const state = JUICE_MESSAGES.changingState
    if (held.sdp !== undefined) out.esp('I', tag, held.sdp)
    for (const name of ['gathering', 'connecting']) {
      out.juice('INFO', state.file, state.line, state.text(name))
      out.esp('I', tag, FIRMWARE_MESSAGES.juiceState(name))
    }
    if (held.stun !== undefined) {
      out.juice('INFO', JUICE_MESSAGES.stunServer.file, JUICE_MESSAGES.stunServer.line, held.stun)
      const srflx = SRFLX.exec(json.replace(/\\"/g, '"'))
      if (srflx) {
        out.juice('INFO', JUICE_EXTRA.stunBindingOk.file, JUICE_EXTRA.stunBindingOk.line, JUICE_EXTRA.stunBindingOk.text)
        out.juice('INFO', JUICE_EXTRA.stunMapped.file, JUICE_EXTRA.stunMapped.line, JUICE_EXTRA.stunMapped.text(`${srflx[1]}:${srflx[2]}`))
      } else {
        out.juice('INFO', JUICE_EXTRA.stunBindingFailed.file, JUICE_EXTRA.stunBindingFailed.line, JUICE_EXTRA.stunBindingFailed.text)
      }
    }
    out.juice('INFO', JUICE_MESSAGES.gatheringDone.file, JUICE_MESSAGES.gatheringDone.line, JUICE_MESSAGES.gatheringDone.text())
    out.esp('I', tag, FIRMWARE_MESSAGES.gatheringDone)
    for (const line of held.others) this.line(line)
    out.esp(level, tag, json)
    out.esp('I', tag, BEFORE_CONNECT_LINE)
  }
}

function formatHeldJuice(level: JuiceLogLevel, file: string, line: number, message: string): string {
  return `00:00:00 ${level.padEnd(7)} ${file}:${line}: ${message}`
}
