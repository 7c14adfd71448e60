// Public servers a bridge may be left pointing at: the firmware's defaults and the well-known
// public test brokers. Anyone can subscribe to a public broker's topics, so the pair's
// signalling (its ICE addresses and credentials) is readable there; a public STUN server
// only learns the devices' public addresses, but the site then depends on it.
import { defaultConfig, defaultSignallingUri, PEER_LIBRARIES } from '../../../common/config'

const PUBLIC_BROKER_HOSTS = new Set([
  ...PEER_LIBRARIES.map((library) => hostOf(defaultSignallingUri(library))),
  'broker.emqx.io',
  'broker.hivemq.com',
  'test.mosquitto.org',
  'mqtt.eclipseprojects.io',
])

const PUBLIC_STUN_HOSTS = new Set([defaultConfig().stunHost, 'stun1.l.google.com', 'stun2.l.google.com', 'stun3.l.google.com', 'stun4.l.google.com', 'stun.cloudflare.com'])

/** The host of a signalling address when it is a public broker anyone can read. */
export function publicBrokerHost(uri: string): string | undefined {
  const host = hostOf(uri)
  return host && PUBLIC_BROKER_HOSTS.has(host) ? host : undefined
}

export function isPublicStunHost(host: string): boolean {
  return PUBLIC_STUN_HOSTS.has(host.trim().toLowerCase())
}

function hostOf(uri: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(uri.trim())
  return match?.[1]?.toLowerCase()
}
