// A device's identity is its link, written one way. Two spellings of the same link
// ("RFC2217://Host:36907/" and "rfc2217://host:36907") are one device, so the backend can
// lock, remember and list it once. The id is the normalised link itself: readable, and
// what PairKit connects to.
//
//   local port        as given ("/dev/ttyUSB0"); Windows COM ports upper-case ("COM3",
//                     also from "\\.\com3"), since Windows treats them case-insensitively
//   socket://, rfc2217://
//                     scheme and host lower-case, port in decimal without leading zeros,
//                     IPv6 in brackets in its shortest form (RFC 5952), no trailing "/",
//                     no "?options" (the links ignore them)
//
// Names are not resolved: "localhost" and "127.0.0.1" stay two devices. A name may resolve
// to another address (localhost to ::1 on some systems, where another server may listen),
// and a lookup does not belong in a pure function. Local paths are not resolved either
// (/dev/serial/by-id/… and the /dev/ttyUSB0 it points to are two ids): that needs the file
// system, and the by-id name is the stabler one to keep.
import { PairKitError } from '../errors'

export type DeviceLinkKind = 'local' | 'socket' | 'rfc2217'

export interface DeviceLink {
  /** The normalised link, used as the device's id. */
  id: string
  kind: DeviceLinkKind
  /** For socket:// and rfc2217://: host (IPv6 without brackets) and port. */
  host?: string
  port?: number
}

/** Longer links are refused: no serial path or host:port is anywhere near this. */
export const MAX_LINK_LENGTH = 300

const REMOTE = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^:/?#[\]]*)(?::([0-9]*))?(\/)?(\?[^#]*)?$/i
const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i

/** The device a link names; throws BAD_INPUT with what to type instead. */
export function parseDeviceLink(link: string): DeviceLink {
  const text = link.trim()
  if (text.length === 0) throw bad('no device given: give a serial port path, socket://HOST:PORT or rfc2217://HOST:PORT')
  if (text.length > MAX_LINK_LENGTH) throw bad(`the device link is ${text.length} characters long; a port path or HOST:PORT is far shorter`)
  if ([...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) throw bad('the device link contains control characters')
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { id: localId(text), kind: 'local' }

  const match = REMOTE.exec(text)
  const scheme = (/^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1] ?? '').toLowerCase()
  if (scheme !== 'socket' && scheme !== 'rfc2217') throw bad(`${text} is not a link PairKit can open: use a serial port path, socket://HOST:PORT or rfc2217://HOST:PORT`)
  if (!match) throw bad(`${text} is not HOST:PORT after ${scheme}://, e.g. ${scheme}://192.168.1.20:4000`)
  const [, , rawHost = '', rawPort] = match
  if (rawPort === undefined || rawPort === '') throw bad(`${text} has no port number: write it as ${scheme}://HOST:PORT`)
  const port = Number(rawPort)
  if (!Number.isSafeInteger(port) || port < 1 || port > 65535) throw bad(`the port number in ${text} is out of range (1 to 65535)`)
  const host = normaliseHost(rawHost, text)
  const shown = host.includes(':') ? `[${host}]` : host
  return { id: `${scheme}://${shown}:${port}`, kind: scheme, host, port }
}

/** The id of the device a link names (see parseDeviceLink). */
export function deviceIdOf(link: string): string {
  return parseDeviceLink(link).id
}

/** Whether two links name the same device; false when either is not a link. */
export function sameDevice(a: string, b: string): boolean {
  try {
    return deviceIdOf(a) === deviceIdOf(b)
  } catch {
    return false
  }
}

function localId(path: string): string {
  const com = /^(?:\\\\[.?]\\)?(com\d{1,3})$/i.exec(path)
  return com ? (com[1] as string).toUpperCase() : path
}

function normaliseHost(raw: string, text: string): string {
  if (raw.startsWith('[')) {
    const inner = raw.slice(1, -1)
    const v6 = canonicalIpv6(inner)
    if (!v6) throw bad(`${inner} in ${text} is not an IPv6 address`)
    return v6
  }
  if (raw.length === 0) throw bad(`${text} has no host: write it as HOST:PORT, e.g. 127.0.0.1:4000`)
  if (!HOST_NAME.test(raw)) throw bad(`"${raw}" in ${text} is not a host name or IPv4 address`)
  return raw.toLowerCase().replace(/\.$/, '')
}

/** RFC 5952 text of an IPv6 address (lower-case, zeros compressed once, longest run); undefined when it is not one. */
export function canonicalIpv6(text: string): string | undefined {
  if (!/^[0-9a-f:.]+$/i.test(text) || text.length > 45) return undefined
  let head = text
  const words: number[] = []
  // An embedded IPv4 tail (::ffff:1.2.3.4) is two words.
  const v4 = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)
  let tail: number[] = []
  if (v4) {
    const bytes = v4.slice(2, 6).map(Number)
    if (bytes.some((byte) => byte > 255)) return undefined
    tail = [((bytes[0] as number) << 8) | (bytes[1] as number), ((bytes[2] as number) << 8) | (bytes[3] as number)]
    head = (v4[1] as string).endsWith('::') ? (v4[1] as string) : (v4[1] as string).slice(0, -1)
  } else if (text.includes('.')) return undefined
  const halves = head.split('::')
  if (halves.length > 2) return undefined
  const parse = (part: string): number[] | undefined => {
    if (part === '') return []
    const out: number[] = []
    for (const group of part.split(':')) {
      if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined
      out.push(Number.parseInt(group, 16))
    }
    return out
  }
  const left = parse(halves[0] as string)
  const right = halves.length === 2 ? parse(halves[1] as string) : []
  if (!left || !right) return undefined
  const known = left.length + right.length + tail.length
  if (halves.length === 2) {
    if (known > 7) return undefined
    words.push(...left, ...new Array<number>(8 - known).fill(0), ...right, ...tail)
  } else {
    if (known !== 8) return undefined
    words.push(...left, ...tail)
  }
  // The longest run of two or more zero words (the first of equals) becomes "::".
  let bestAt = -1
  let bestLength = 1
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && words[j] === 0) j++
    if (j - i > bestLength) {
      bestAt = i
      bestLength = j - i
    }
    i = j
  }
  const hexWords = words.map((word) => word.toString(16))
  if (bestAt < 0) return hexWords.join(':')
  return `${hexWords.slice(0, bestAt).join(':')}::${hexWords.slice(bestAt + bestLength).join(':')}`
}

function bad(message: string): PairKitError {
  return new PairKitError('BAD_INPUT', message, { hint: 'Give a serial port path (/dev/ttyUSB0, COM3), socket://HOST:PORT or rfc2217://HOST:PORT.' })
}
