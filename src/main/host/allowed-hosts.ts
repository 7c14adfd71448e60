// Which names the browser host answers to. It listens on 127.0.0.1 only, but a page on
// any web site can make its own name resolve to 127.0.0.1 (DNS rebinding) and then talk
// to the host as "same origin". Checking the Host header against the loopback names
// closes that: such a page sends its own name, never one of these.

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'] as const

/** The Host header values the host accepts on `port` (browsers omit the port 80). */
export function allowedHosts(port: number): ReadonlySet<string> {
  const hosts = LOOPBACK_NAMES.map((name) => `${name}:${port}`)
  return new Set(port === 80 ? [...hosts, ...LOOPBACK_NAMES] : hosts)
}

/** The Origin header values a page served by the host sends. */
export function allowedOrigins(port: number): ReadonlySet<string> {
  return new Set([...allowedHosts(port)].map((host) => `http://${host}`))
}

/** The Host header, lower-cased, if it names this host; undefined otherwise. */
export function checkedHost(header: string | undefined, port: number): string | undefined {
  const host = header?.toLowerCase()
  return host !== undefined && allowedHosts(port).has(host) ? host : undefined
}
