// A known device in the technician's words: whether it can be reached, what it is doing,
// what it is and which side of which pair it is. Every view shows devices through these.
import type { Device, DeviceBusy, DeviceOperation, DevicePresence } from '../../../common/contract'
import { formatFlashSize } from '../../../common/esp/flash-size'
import { formatTime } from './format'

export type Tone = 'ok' | 'warning' | 'danger' | 'neutral'

const PRESENCE: Record<DevicePresence, { label: string; tone: Tone }> = {
  present: { label: 'plugged in', tone: 'ok' },
  absent: { label: 'unplugged', tone: 'danger' },
  reachable: { label: 'reachable', tone: 'ok' },
  unreachable: { label: 'unreachable', tone: 'danger' },
  unknown: { label: 'not contacted yet', tone: 'neutral' },
}

const DOING: Record<DeviceOperation, string> = {
  probe: 'Being probed',
  flash: 'Being flashed',
  erase: 'Being erased',
  'read-flash': 'Being read',
  provision: 'Getting pair settings',
  monitor: 'Open in the monitor',
}

export function presenceView(device: Pick<Device, 'presence' | 'presenceDetail'>): { label: string; tone: Tone; detail?: string } {
  const shown = PRESENCE[device.presence]
  return device.presenceDetail ? { ...shown, detail: device.presenceDetail } : { ...shown }
}

/** "Being flashed since 14:02:33": why the device's buttons are disabled. */
export function busyReason(busy: DeviceBusy, now = Date.now()): string {
  return `${DOING[busy.operation]} since ${formatTime(busy.since, now)}`
}

/** Role 1 is site A, role 2 site B, as the pair wizard names them. */
export function siteLetter(role: 1 | 2): 'A' | 'B' {
  return role === 1 ? 'A' : 'B'
}

/** "site A (role 1)". */
export function roleName(role: 1 | 2): string {
  return `site ${siteLetter(role)} (role ${role})`
}

/** "ESP32-D0WD-V3 (revision v3.0)" when the probe said, else the chip's name; undefined before a probe. */
export function chipText(device: Device): string | undefined {
  const facts = device.facts
  return facts ? (facts.probe.description ?? facts.chip) : undefined
}

export function flashText(device: Device): string | undefined {
  const facts = device.facts
  if (!facts) return undefined
  return facts.probe.flash?.size ?? (facts.flashSize !== undefined ? formatFlashSize(facts.flashSize) : undefined)
}

/** "hello-world 1.0 (ESP-IDF v5.4)", or what is known instead. */
export function firmwareText(device: Device): string {
  const facts = device.facts
  if (!facts) return 'not probed yet'
  const firmware = facts.firmware
  if (!firmware) return facts.probe.partitionTable ? 'no app found' : 'none (no partition table: the flash may be empty)'
  return `${firmware.projectName} ${firmware.version} (ESP-IDF ${firmware.idfVersion})`
}

/** One line to pick a device by: its link, chip, MAC and pair role where known. */
export function deviceLine(device: Device): string {
  const facts = device.facts
  const parts = [device.id]
  if (facts) parts.push(facts.chip)
  if (facts?.mac) parts.push(facts.mac)
  if (facts?.role) parts.push(`site ${siteLetter(facts.role)}`)
  return parts.join(' · ')
}
