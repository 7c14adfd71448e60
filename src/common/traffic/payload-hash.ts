// Payload fingerprints for correlation: a message published on one site is recognised on the
// other by its topic, its size and one of these. Not cryptographic: within a window of seconds
// on one topic, 53 bits make a false match practically impossible.
//
// A console line shows the payload as text, as the firmware printed it with "%.*s" and the log
// parser read it back: cut at the first NUL, invalid UTF-8 as U+FFFD, every line break as "\n"
// (the console's CRLF conversion, and the parser's line ends /\r+\n?|\n/). textHash() hashes
// that form, so a console line and an MQTT message compare equal. The serial monitor cuts a
// line at 4096 characters, and a long payload's line is cut at a point that depends on what
// precedes the payload on it (handle_message on one side, forwarding remote message on the
// other): only the first TEXT_HASH_CHARS characters are hashed, which every cut line still holds.

const decoder = new TextDecoder('utf-8')

/** Characters of the console form that textHash() covers: well inside a 4096-character line. */
export const TEXT_HASH_CHARS = 2048

/** cyrb53 over bytes: a 53-bit hash, fast on short payloads. */
export function byteHash(bytes: Uint8Array): number {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number
    h1 = Math.imul(h1 ^ b, 2654435761)
    h2 = Math.imul(h2 ^ b, 1597334677)
  }
  return finish(h1, h2)
}

/** The payload as a console line shows it (see the top of this file). */
export function consoleText(payload: Uint8Array | string): string {
  let text = typeof payload === 'string' ? payload : decoder.decode(payload)
  const nul = text.indexOf('\0')
  if (nul >= 0) text = text.slice(0, nul)
  return text.replace(/\r+\n?|\n/g, '\n')
}

/** cyrb53 over the UTF-16 code units of the console form of a payload (its first TEXT_HASH_CHARS). */
export function textHash(payload: Uint8Array | string): number {
  const text = consoleText(payload).slice(0, TEXT_HASH_CHARS)
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  return finish(h1, h2)
}

function finish(h1: number, h2: number): number {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507)
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507)
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}
