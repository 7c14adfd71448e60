// Why a message that should have crossed did not, in one sentence for the technician, and the
// firmware facts behind each reason (reference §2.5, §2.6, §5.3, §5.5, §9).
import { SERVERLESS } from '../serverless/constants'
import { wrappedLength } from '../serverless/datagram-wrap'
import type { LostReason, Site } from './model'

const encoder = new TextEncoder()

export function topicBytes(topic: string): number {
  return encoder.encode(topic).length
}

/** The firmware refuses to send a message whose wrap is over its 4096-byte buffer. */
export function exceedsWrapLimit(topic: string, payloadBytes: number): boolean {
  return wrappedLength(topicBytes(topic), payloadBytes) > SERVERLESS.MAX_WRAPPED_BYTES
}

/** The stock receiver's length check drops a payload shorter than its topic plus the NUL (§5.3). */
export function isShortPayload(topic: string, payloadBytes: number): boolean {
  return payloadBytes < topicBytes(topic) + 1
}

/** A peer drop reason (peer-events.ts DropReason) in words. */
const PEER_DROP_WORDS: Record<string, string> = {
  'too-long': 'its wrap is over the 4096-byte limit',
  malformed: 'the datagram was not a valid wrap',
  'not-linked': 'no peer link was up',
  unencodable: 'its topic cannot be wrapped',
  'republish-failed': 'republishing it failed',
  'unknown-source': 'the datagram came from an unexpected address',
  'slow-subscriber': 'a subscriber was not reading',
  'broker-busy': 'too many messages were waiting in the broker',
}

export function lostDetail(reason: LostReason, context: { from: Site; to: Site; topic: string; size: number; likely?: boolean; peerReason?: string }): string {
  const { from, to } = context
  switch (reason) {
    case 'too-long':
      return `Its wrap is ${wrappedLength(topicBytes(context.topic), context.size)} bytes, over the firmware's ${SERVERLESS.MAX_WRAPPED_BYTES}-byte limit: site ${from}'s bridge never sends it.`
    case 'not-linked':
      return `Site ${from}'s bridge had no peer link when it was published: the firmware neither forwards nor queues such messages.`
    case 'stock-receive-bug':
      return `Site ${to}'s firmware logged "No local mqtt client, dropping data": the stock firmware drops every received message; flash a build with the receive fix.`
    case 'short-payload':
      return context.likely
        ? `Probably the stock firmware's length check on site ${to}: it drops payloads shorter than the topic plus one byte (${context.size} < ${topicBytes(context.topic) + 1}).`
        : `Site ${to}'s firmware rejected it ("Received invalid message"): the stock firmware drops payloads shorter than the topic plus one byte (${context.size} < ${topicBytes(context.topic) + 1}).`
    case 'invalid-message':
      return `Site ${to}'s firmware rejected the datagram ("Received invalid message").`
    case 'peer-drop':
      return `PairKit's peer dropped it: ${PEER_DROP_WORDS[context.peerReason ?? ''] ?? context.peerReason ?? 'see its log'}.`
    case 'not-forwarded':
      return `Site ${from}'s firmware never took it for the bridge (no handle_message line): a client with id "${SERVERLESS.LOCAL_CLIENT_ID}" is never forwarded.`
    case 'link-loss':
      return `Site ${from}'s bridge sent it and site ${to} never received it: lost on the peer link, which is plain UDP without retransmission.`
    case 'unknown':
      return `It did not arrive on site ${to} within the correlation window, and no log says why.`
  }
}
