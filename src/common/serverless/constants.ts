// Protocol constants of Espressif's serverless_mqtt example (libjuice variant), tabulated
// once. Each value names where the firmware takes it from.

export const SERVERLESS = {
  /** The re-publishing client's id; its PUBLISHes are never forwarded (loop prevention). */
  LOCAL_CLIENT_ID: 'local_mqtt',
  /** Sender buffer JUICE_MAX_SDP_STRING_LEN: a larger wrapped message is refused. */
  MAX_WRAPPED_BYTES: 4096,
  /** Above this the datagram likely needs IP fragmentation, which the ESP cannot reassemble (inferred). */
  WARN_WRAPPED_BYTES: 1200,
  /** u16 LE topic_len + u16 LE data_len. */
  WRAP_HEADER_BYTES: 4,
  /** esp-mqtt default input buffer: the whole PUBLISH (header, topic, payload) must fit one DATA event. */
  SIGNAL_RX_BUFFER_BYTES: 1024,
  /** The firmware reads at most cand0..cand9 from its own gathering; libjuice accepts 20 per description. */
  MAX_SENT_CANDIDATES: 10,
  MAX_REMOTE_CANDIDATES: 20,
  /** Handshake loop: one wait per second, 60 empty waits, then "Failed to sync after 61 seconds". */
  SYNC_INTERVAL_MS: 1000,
  SYNC_MAX_RETRIES: 60,
  /** Wait for the other side's JSON after "Sync done". */
  DESCRIPTION_TIMEOUT_MS: 10_000,
  /** Wait for the signalling broker's CONNACK. */
  SIGNAL_CONNECT_TIMEOUT_MS: 10_000,
  /** libjuice's connectivity (PAC) timer. */
  ICE_CONNECT_TIMEOUT_MS: 39_500,
  /** STUN port the firmware hard-codes. */
  DEFAULT_STUN_PORT: 19302,
  /** Handshake payloads, single ASCII characters at QoS 1 without retain. */
  SYNC_PING: '0',
  SYNC_ACK: '1',
  SYNC_DONE: '2',
  /** libjuice's local description ends with this options line. */
  ICE_OPTIONS: 'ice2,trickle',
} as const

export type PeerRole = 1 | 2

/** Topic prefix + own role to publish, + the other role to listen (reference §3.1). */
export function signallingTopics(prefix: string, role: PeerRole): { publish: string; subscribe: string } {
  const other: PeerRole = role === 1 ? 2 : 1
  return { publish: `${prefix}${role}`, subscribe: `${prefix}${other}` }
}

/** The ESP-IDF log tag of the signalling code: "serverless_mqtt1" or "serverless_mqtt2". */
export function peerLogTag(role: PeerRole): string {
  return `serverless_mqtt${role}`
}
