// Where a serial link goes, as a technician types it: a device path, or a port served over
// the network. Shared by the backend, which opens it, and the UI, which checks what was
// typed before sending it.
import { PairKitError } from './errors'

export type ParsedPortUrl =
  | { kind: 'local'; path: string }
  | { kind: 'socket' | 'rfc2217'; host: string; port: number }

const NETWORK_PORT_HINT = 'Use socket://HOST:PORT or rfc2217://HOST:PORT (e.g. rfc2217://192.168.1.20:4000), or a device path such as /dev/ttyUSB0 or COM3.'

/** "socket://h:p", "rfc2217://h:p" or a device path ("/dev/ttyUSB0", "COM3"). */
export function parsePortUrl(url: string): ParsedPortUrl {
  const match = /^(socket|rfc2217):\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?(\?.*)?$/i.exec(url.trim())
  if (match) {
    const port = Number(match[3])
    if (port < 1 || port > 65535) throw new PairKitError('BAD_INPUT', `port number ${port} in ${url} is out of range`, { hint: 'Use a port number from 1 to 65535.' })
    const host = (match[2] ?? '').replace(/^\[|\]$/g, '')
    return { kind: (match[1] ?? '').toLowerCase() as 'socket' | 'rfc2217', host, port }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim())) throw new PairKitError('BAD_INPUT', `${url.trim()} is not a port address PairKit can open`, { hint: NETWORK_PORT_HINT })
  if (url.trim().length === 0) throw new PairKitError('BAD_INPUT', 'no port given', { hint: NETWORK_PORT_HINT })
  return { kind: 'local', path: url }
}
