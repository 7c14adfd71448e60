// Moves messages between the local broker and the ICE link in the firmware's datagram wrap,
// with its limits: >4096 bytes refused, >~1200 bytes warned, malformed datagrams dropped, and
// messages the stock firmware's receiver would drop counted (reference §5, §9). Every drop, the
// broker's included, is counted exactly and reported at most about once a second per reason
// (drop-reporter.ts).
import { SERVERLESS } from '../../common/serverless/constants'
import { decodeWrap, encodeWrapHeader, setWrapDataLength, stockFirmwareRejects, type WrapEncodeResult } from '../../common/serverless/datagram-wrap'
import { FIRMWARE_MESSAGES } from '../../common/serverless/firmware-log'
import type { DirectionSchema, DropReasonSchema, PeerEventInput, PeerStats } from '../../common/serverless/peer-events'
import { DropReporter } from './drop-reporter'
import type { FirmwareConsole } from './firmware-console'
import type { IceLink } from './ice-link'
import type { LocalBroker, LocalPublish } from './local-broker'
import type { z } from 'zod'

/** "exact": strict wrap check. "stock-firmware": also apply the ESP's faulty length check (for the twin). */
export type ReceiveCheck = 'exact' | 'stock-firmware'

const textDecoder = new TextDecoder()
const TOPIC_CACHE_ENTRIES = 1024

export class MessageBridge {
  private link: IceLink | undefined
  private unsubscribeData: (() => void) | undefined
  private readonly headerTemplates = new Map<string, WrapEncodeResult>()
  private readonly drops: DropReporter

  constructor(
    private readonly broker: LocalBroker,
    private readonly stats: PeerStats,
    private readonly emit: (event: PeerEventInput) => void,
    private readonly fw: FirmwareConsole,
    private readonly receiveCheck: ReceiveCheck = 'exact',
    /** Per-message events; a busy bridge without a listener for them skips building them. */
    private readonly messageEvents = true,
    /** Fault injection: a received datagram is lost on the way (the peer never sees it). */
    private readonly datagramLoss?: () => boolean,
  ) {
    this.drops = new DropReporter(stats, emit)
    broker.onPublish((message) => this.forward(message))
    broker.onDrop?.((drop) => this.drop(drop.reason === 'broker-busy' ? 'from-peer' : 'local', drop.reason, drop.bytes, drop.topic, drop.detail))
  }

  /** Reports the drops still held for their second's summary (when the peer closes). */
  close(): void {
    this.attach(undefined)
    this.drops.flush()
  }

  attach(link: IceLink | undefined): void {
    this.unsubscribeData?.()
    this.unsubscribeData = undefined
    this.link = link
    if (!link) return
    const offData = link.onData((datagram) => this.receive(datagram))
    const offForeign = link.onForeignDatagram((source, bytes) => {
      this.fw.juiceWarnUnknownAddress()
      this.drop('from-peer', 'unknown-source', bytes, undefined, `a datagram from ${source}, which is not the selected pair's remote`)
    })
    this.unsubscribeData = () => {
      offData()
      offForeign()
    }
  }

  private forward(message: LocalPublish): void {
    if (this.fw.enabled) {
      this.fw.bridge('I', FIRMWARE_MESSAGES.handleTopic(message.topic))
      this.fw.bridge('I', FIRMWARE_MESSAGES.handleData(textDecoder.decode(message.payload)))
      this.fw.bridge('I', FIRMWARE_MESSAGES.handleQos(message.qos, message.retain))
    }
    const link = this.link
    // The firmware neither forwards nor queues before the link is up (§2.6).
    if (!link || !link.isConnected) return this.drop('to-peer', 'not-linked', message.payload.length, message.topic, 'no ICE link yet: the message is not forwarded and not queued')
    const template = this.headerTemplate(message.topic)
    if (!template.ok) return this.drop('to-peer', 'unencodable', message.payload.length, message.topic, template.detail)
    const length = template.bytes.length + message.payload.length
    if (length > SERVERLESS.MAX_WRAPPED_BYTES) {
      this.fw.bridge('E', FIRMWARE_MESSAGES.messageTooLong)
      return this.drop('to-peer', 'too-long', length, message.topic, `${length} bytes wrapped; the firmware's limit is ${SERVERLESS.MAX_WRAPPED_BYTES}`)
    }
    if (length > SERVERLESS.WARN_WRAPPED_BYTES) {
      this.stats.oversizeWarnings++
      this.emit({ type: 'warning', code: 'datagram-large', message: `${length}-byte datagram on "${message.topic}": an ESP32 likely cannot receive datagrams above about 1200 bytes (no IP reassembly)` })
    }
    const stockDrop = stockFirmwareRejects(topicLenOf(template.bytes), length)
    if (stockDrop) this.stats.stockFirmwareWillDrop++
    // This topic's header with this payload's length, from Node's buffer pool (a fresh typed
    // array per message costs more than the rest of the wrap); header and payload leave as one
    // datagram from two buffers, so the payload is never copied.
    const header = Buffer.allocUnsafe(template.bytes.length)
    header.set(template.bytes)
    setWrapDataLength(header, message.payload.length)
    link.send([header, message.payload], this.noteSendError)
    this.stats.messagesToPeer++
    this.stats.bytesToPeer += length
    if (this.messageEvents) this.emit({ type: 'message', direction: 'to-peer', topic: message.topic, bytes: length, ...(stockDrop ? { stockFirmwareWillDrop: true } : {}) })
  }

  private receive(datagram: Uint8Array): void {
    if (this.datagramLoss?.()) return
    const decoded = decodeWrap(datagram)
    if (!decoded.ok) {
      this.fw.bridge('E', FIRMWARE_MESSAGES.invalidMessage)
      return this.drop('from-peer', 'malformed', datagram.length, undefined, `${decoded.reason}: ${decoded.detail}`)
    }
    if (this.receiveCheck === 'stock-firmware' && stockFirmwareRejects(topicLenOf(datagram), datagram.length)) {
      this.fw.bridge('E', FIRMWARE_MESSAGES.invalidMessage)
      return this.drop('from-peer', 'malformed', datagram.length, decoded.topic, 'payload shorter than topic + NUL: the stock firmware\'s receiver check rejects it')
    }
    if (this.fw.enabled) {
      this.fw.bridge('I', FIRMWARE_MESSAGES.forwardTopic(decoded.topic))
      this.fw.bridge('I', FIRMWARE_MESSAGES.forwardPayload(textDecoder.decode(decoded.payload)))
    }
    try {
      this.broker.republish(decoded.topic, decoded.payload)
    } catch (error) {
      return this.drop('from-peer', 'republish-failed', datagram.length, decoded.topic, error instanceof Error ? error.message : String(error))
    }
    this.stats.messagesFromPeer++
    this.stats.bytesFromPeer += datagram.length
    if (this.messageEvents) this.emit({ type: 'message', direction: 'from-peer', topic: decoded.topic, bytes: datagram.length })
  }

  private drop(direction: z.infer<typeof DirectionSchema>, reason: z.infer<typeof DropReasonSchema>, bytes: number, topic: string | undefined, detail: string): void {
    this.drops.drop(direction, reason, bytes, topic, detail)
  }

  private readonly noteSendError = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error)
    this.stats.lastError = message
    this.emit({ type: 'error', code: 'SEND_FAILED', message })
  }

  /** A bridge sees the same few topics over and over: build each one's header once (bounded cache). */
  private headerTemplate(topic: string): WrapEncodeResult {
    let template = this.headerTemplates.get(topic)
    if (!template) {
      if (this.headerTemplates.size >= TOPIC_CACHE_ENTRIES) this.headerTemplates.clear()
      template = encodeWrapHeader(topic, 0)
      this.headerTemplates.set(topic, template)
    }
    return template
  }
}

/** topic_len (u16 LE, including the NUL) from the first bytes of a wrap. */
function topicLenOf(datagram: Uint8Array): number {
  return (datagram[0] as number) | ((datagram[1] as number) << 8)
}
