// Reads a local client's plain QoS 0 PUBLISHes straight from what its TCP connection delivers,
// ahead of aedes's MQTT parser, and hands each to `take` (the fan-out and the bridge, see
// local-broker.ts). Measured with bench:bridge: mqtt-packet's parser and aedes's per-packet
// handling (a packet object, debug calls, a buffer list, the publish pipeline's series of
// steps) cost the sending peer about 5 µs of CPU per message; this reads one in well under 1.
//
// Every plain QoS 0 PUBLISH is taken here, however TCP cuts the stream: one cut off at the end of
// a chunk is held (at most maxHeldBytes) and completed from the next. Without that, a packet
// cut across chunks would go through aedes, which waits for every subscriber to drain before
// it reads the client's next packet: one subscriber that stops reading would stall the
// publisher for everyone (see the fan-out's backpressure).
//
// The first packet that is anything else — another type, QoS 1 or 2, retain, a "$" or invalid
// topic, too large to hold — goes to aedes's parser with all that follows in its chunk, so
// packets are handled in the order they came, and while aedes's parser holds part of a packet
// every chunk goes to it. aedes's own checks on a PUBLISH are kept: an empty topic, wildcards,
// too many levels, or a non-default authorizePublish leave the packet to aedes, which answers
// as it always does.
import type { Aedes, Client } from 'aedes'
import { qos0PublishLength, readQos0Publish, type Qos0PublishFrame } from '../../common/mqtt/qos0-publish'
import { aedesClientParser, aedesMaxTopicLevels, refreshAedesKeepalive } from './dependency-internals'

/** Gets a PUBLISH read here; false when aedes must handle it after all (nothing done yet). */
export type TakeQos0Publish = (client: Client, topic: string, payload: Buffer) => boolean

/** Only for a broker whose internals checkInternals() found as expected (see dependency-internals.ts). */
export function readLocalQos0Directly(aedes: Aedes, skipClientId: string, maxHeldBytes: number, take: TakeQos0Publish): void {
  const defaultAuthorizePublish = aedes.authorizePublish
  const maxTopicLevels = aedesMaxTopicLevels(aedes)
  const frame: Qos0PublishFrame = { topicStart: 0, topicEnd: 0, end: 0 }
  aedes.on('clientReady', (client) => {
    if (client.id === skipClientId) return
    // MQTT 3.1 and 3.1.1 only: an MQTT 5 PUBLISH carries properties.
    if (client.version !== 3 && client.version !== 4) return
    const parser = aedesClientParser(client)
    if (!parser) return
    const { parse } = parser
    /**
     * The start of a plain QoS 0 PUBLISH cut off at the end of a chunk, in the pieces it came
     * in (aedes has seen none of it), and their length.
     */
    let held: Buffer[] = []
    let heldBytes = 0
    /** The held packet's whole length once its Remaining Length is complete, -1 until then. */
    let heldLength = -1
    const hold = (piece: Buffer) => {
      held.push(piece)
      heldBytes += piece.length
    }
    const forgetHeld = () => {
      held = []
      heldBytes = 0
      heldLength = -1
    }
    /** Hands what is held and `chunk` to aedes's parser, in order. */
    const releaseTo = (chunk: Buffer): number => {
      const before = held
      forgetHeld()
      for (const piece of before) parse(piece)
      return parse(chunk)
    }

    /** Takes the packet at `at` if it is a plain QoS 0 PUBLISH that aedes would accept. */
    const takeAt = (bytes: Buffer, at: number): boolean => {
      if (!readQos0Publish(bytes, at, frame)) return false
      const topic = bytes.toString('utf8', frame.topicStart, frame.topicEnd)
      return isPlainPublishTopic(topic, maxTopicLevels) && take(client, topic, bytes.subarray(frame.topicEnd, frame.end))
    }

    parser.replaceParse((chunk: Buffer): number => {
      if (!client.connected || !parser.idle() || aedes.authorizePublish !== defaultAuthorizePublish || !Buffer.isBuffer(chunk)) return releaseTo(chunk)
      let at = 0
      let took = false
      if (heldBytes > 0) {
        // The rest of the held packet starts this chunk. Its Remaining Length ends within its
        // first 5 bytes; while those are incomplete, fewer than 5 bytes are held.
        if (heldLength === -1) heldLength = qos0PublishLength(Buffer.concat([...held, chunk], Math.min(5, heldBytes + chunk.length)), 0)
        if (heldLength === 0 || heldLength > maxHeldBytes) return releaseTo(chunk)
        if (heldLength === -1 || heldBytes + chunk.length < heldLength) {
          hold(chunk)
          return 0
        }
        const needed = heldLength - heldBytes
        const packet = Buffer.concat([...held, chunk.subarray(0, needed)], heldLength)
        forgetHeld()
        if (!takeAt(packet, 0)) {
          parse(packet)
          return parse(chunk.subarray(needed))
        }
        took = true
        at = needed
      }
      while (at < chunk.length && takeAt(chunk, at)) {
        took = true
        at = frame.end
      }
      if (took) refreshAedesKeepalive(client)
      if (at === chunk.length) return 0
      const length = qos0PublishLength(chunk, at)
      if (length === -1 || (length > chunk.length - at && length <= maxHeldBytes)) {
        // Cut off: held (copied, so the chunk can go) until the next chunks complete it.
        hold(Buffer.from(chunk.subarray(at)))
        heldLength = length
        return 0
      }
      return parse(at === 0 ? chunk : chunk.subarray(at))
    })
  })
}

/**
 * A topic aedes would accept in a PUBLISH and deliver the usual way: not empty, no wildcard, not
 * a "$" topic (its own rules), at most maxTopicLevels levels, valid UTF-8 (no U+FFFD from a bad
 * sequence: aedes would see the same replacement, but leave such oddities to it).
 */
function isPlainPublishTopic(topic: string, maxTopicLevels: number | undefined): boolean {
  if (topic.length === 0 || topic.charCodeAt(0) === 36 /* $ */) return false
  let levels = 1
  for (let i = 0; i < topic.length; i++) {
    const code = topic.charCodeAt(i)
    if (code === 47 /* / */) levels++
    else if (code === 35 /* # */ || code === 43 /* + */ || code === 0xfffd) return false
  }
  return maxTopicLevels === undefined || levels <= maxTopicLevels
}
