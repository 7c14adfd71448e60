// The pair the lab provisions: roles 1 and 2 of one new pair, whose signalling broker and
// STUN server are the lab's own on loopback, and whose site brokers listen where the lab
// says. The Wi-Fi and IoT-network passwords are random per lab: the twins have no radio, but
// the settings must be complete, and nothing fixed should look like a password to reuse.
import { randomBytes } from 'node:crypto'
import { provisionPair, type DeviceConfig, type ProvisionedPair } from '../../common/config'

export interface LabPairOptions {
  signallingUrl: string
  stunPort: number
  brokerPorts: { a: number; b: number }
}

export type LabSiteSettings = Partial<Omit<DeviceConfig, 'role' | 'pairId'>>

/** The two sites' settings (what a technician would enter in Configure), passwords included. */
export function labPairSites(options: LabPairOptions): { siteA: LabSiteSettings; siteB: LabSiteSettings } {
  const password = () => randomBytes(12).toString('base64url')
  const shared = { signallingUri: options.signallingUrl, stunHost: '127.0.0.1', stunPort: options.stunPort, syncTopic: '/pairkit-lab' }
  return {
    siteA: { ...shared, staSsid: 'lab-workshop', staPassword: password(), apSsid: 'lab-site-a', apPassword: password(), brokerPort: options.brokerPorts.a },
    siteB: { ...shared, staSsid: 'lab-workshop', staPassword: password(), apSsid: 'lab-site-b', apPassword: password(), brokerPort: options.brokerPorts.b },
  }
}

export function labPair(options: LabPairOptions): ProvisionedPair {
  const { siteA, siteB } = labPairSites(options)
  return provisionPair(siteA, siteB, (length) => new Uint8Array(randomBytes(length)))
}

/** The name a blank lab's pair is stored under, so a technician recognises it among the pairs. */
export const LAB_PAIR_NAME = 'Virtual lab'
