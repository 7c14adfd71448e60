// The pair the lab provisions: roles 1 and 2 of one new pair, whose signalling broker and
// STUN server are the lab's own on loopback, and whose site brokers listen where the lab
// says. The Wi-Fi and IoT-network passwords are random per lab: the twins have no radio, but
// the settings must be complete, and nothing fixed should look like a password to reuse.
import { randomBytes } from 'node:crypto'
import { provisionPair, type ProvisionedPair } from '../../common/config'

export interface LabPairOptions {
  signallingUrl: string
  stunPort: number
  brokerPorts: { a: number; b: number }
}

export function labPair(options: LabPairOptions): ProvisionedPair {
  const password = () => randomBytes(12).toString('base64url')
  const shared = { signallingUri: options.signallingUrl, stunHost: '127.0.0.1', stunPort: options.stunPort, syncTopic: '/pairkit-lab' }
  return provisionPair(
    { ...shared, staSsid: 'lab-workshop', staPassword: password(), apSsid: 'lab-site-a', apPassword: password(), brokerPort: options.brokerPorts.a },
    { ...shared, staSsid: 'lab-workshop', staPassword: password(), apSsid: 'lab-site-b', apPassword: password(), brokerPort: options.brokerPorts.b },
    (length) => new Uint8Array(randomBytes(length)),
  )
}
