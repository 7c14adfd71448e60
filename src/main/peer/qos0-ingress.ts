// Reads a local client's plain QoS 0 PUBLISHes straight from what its TCP connection delivers,
// ahead of aedes's MQTT parser, and hands each to `take` (the fan-out and the bridge, see
// local-broker.ts). Measured with bench:bridge: mqtt-packet's parser and aedes's per-packet
// handling (a packet object, debug calls, a buffer list, the publish pipeline's series of
// steps) cost the sending peer about 5 µs of CPU per message; this reads one in well under 1.
//
// Only a prefix of each chunk is taken: the first packet that is anything else — another type,
// QoS 1 or 2, retain, a "$" or invalid topic, a packet cut off at the chunk's end — and all that
// follows go to aedes's parser as before, so packets are handled in the order they came, and
// while aedes's parser holds part of a packet every chunk goes to it. aedes's own checks on a
// PUBLISH are kept: an empty topic, wildcards, too many levels, or a non-default
// authorizePublish leave the packet to aedes, which answers as it always does.
import type { Aedes, Client } from 'aedes'
import { readQos0Publish, type Qos0PublishFrame } from '../../common/mqtt/qos0-publish'
import { aedesClientParser, aedesMaxTopicLevels, refreshAedesKeepalive } from './dependency-internals'

/** Gets a PUBLISH read here; false when aedes must handle it after all (nothing done yet). */
export type TakeQos0Publish = (client: Client, topic: string, payload: Buffer) => boolean

/** Only for a broker whose internals checkInternals() found as expected (see dependency-internals.ts). */
export function readLocalQos0Directly(aedes: Aedes, skipClientId: string, take: TakeQos0Publish): void {
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
    parser.replaceParse((chunk: Buffer): number => {
      if (!client.connected || !parser.idle() || aedes.authorizePublish !== defaultAuthorizePublish || !Buffer.isBuffer(chunk)) return parse(chunk)
      let at = 0
      while (at < chunk.length && readQos0Publish(chunk, at, frame)) {
        const topic = chunk.toString('utf8', frame.topicStart, frame.topicEnd)
        if (!isPlainPublishTopic(topic, maxTopicLevels)) break
        if (!take(client, topic, chunk.subarray(frame.topicEnd, frame.end))) break
        at = frame.end
      }
      if (at > 0) refreshAedesKeepalive(client)
      if (at === chunk.length) return 0
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
