// Where the bridge test finds a site's broker (the firmware's "IoT network" broker).
//
// Assumption, written down once: on a real site the firmware's mosquitto listens on its soft-AP
// address, mqtt://192.168.4.1:<port>, and this computer must be on that Wi-Fi; a device on a
// local serial port is taken to be such a board. A twin (PairKit's virtual ESP32) runs that
// broker on the computer that serves its serial link, on a port it picks and announces on its
// console ("Opening ipv4 listen socket on port N."), so for socket:// and rfc2217:// links the
// broker is that link's host at the announced port. An address given by the technician
// (--site-a-mqtt, siteAMqtt) always wins.
import type { LogEvent } from '../../common/logs/events'

export const SOFT_AP_ADDRESS = '192.168.4.1'
export const DEFAULT_BROKER_PORT = 1883

/** The broker's port from a device's console: its latest listen or running line that names one. */
export function announcedBrokerPort(events: readonly LogEvent[]): number | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i] as LogEvent
    if (event.kind !== 'broker') continue
    if (event.event === 'listening' && event.port !== undefined) return event.port
    if (event.event === 'running' && event.port !== undefined) return event.port
    if (event.event === 'connection' && event.listenPort !== undefined) return event.listenPort
  }
  return undefined
}

/** The site broker of the device on `deviceId`, from the technician's address or the device's console. */
export function siteBrokerUrl(deviceId: string, events: readonly LogEvent[], given?: string): string | undefined {
  if (given) return given
  const port = announcedBrokerPort(events)
  const remote = /^(?:socket|rfc2217):\/\/(\[[^\]]+\]|[^:/]+)/i.exec(deviceId)
  if (remote) return port === undefined ? undefined : `mqtt://${remote[1]}:${port}`
  return `mqtt://${SOFT_AP_ADDRESS}:${port ?? DEFAULT_BROKER_PORT}`
}
