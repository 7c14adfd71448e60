// A device's parsed console as the Traffic view reads it: the events of whichever monitor
// session is open on the device, now or later. The port keeps one owner (the monitor); the
// traffic side only listens.
import type { LogEvent } from '../../common/logs/events'
import { deviceIdOf } from '../../common/devices/device-id'
import type { Site } from '../../common/traffic/model'
import type { ConsoleEventSource } from '../traffic/console-source'
import type { MonitorService } from './monitor-service'

export function monitorConsoleEvents(monitor: MonitorService, link: string, site: Site): ConsoleEventSource {
  const deviceId = deviceIdOf(link)
  return {
    deviceId,
    site,
    onEvents(listener: (events: readonly LogEvent[]) => void): () => void {
      const subscription = monitor.onParsedEvent((parsed) => {
        if (parsed.deviceId === deviceId) listener([parsed.event])
      })
      return () => subscription.dispose()
    },
  }
}
