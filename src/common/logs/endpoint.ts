// "address:port" as the logs print it: IPv4 "1.2.3.4:5", IPv6 without brackets "fe80::1:5"
// (libjuice, reference §8.4) or with them "[fe80::1]:5".
import type { Endpoint } from './events'

export function parseEndpoint(text: string): Endpoint | undefined {
  const colon = text.lastIndexOf(':')
  if (colon <= 0 || colon === text.length - 1) return undefined
  const port = toPort(text.slice(colon + 1))
  if (port === undefined) return undefined
  let address = text.slice(0, colon)
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1)
  return address.length > 0 ? { address, port } : undefined
}

export function toPort(text: string): number | undefined {
  if (text.length === 0 || text.length > 5) return undefined
  let value = 0
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return undefined
    value = value * 10 + digit
  }
  return value <= 65535 ? value : undefined
}

/** IPv6 when the address has a colon: RFC 8445 pairs only candidates of one address family. */
export function addressFamily(address: string): 4 | 6 {
  return address.includes(':') ? 6 : 4
}
