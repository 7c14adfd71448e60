// What a probe result says about a device, in the few fields every view shows: chip, MAC,
// flash size, the firmware that boots, and the pair and role of the settings it holds.
import type { DeviceFacts, DeviceFirmware } from '../../common/contract/devices'
import type { ProbeResult } from '../../common/flasher/probe-result'

export function factsFromProbe(probe: ProbeResult, probedAt: number): DeviceFacts {
  const facts: DeviceFacts = { probedAt, chip: probe.chip, probe }
  if (probe.mac) facts.mac = probe.mac
  if (probe.flash?.sizeBytes) facts.flashSize = probe.flash.sizeBytes
  const firmware = bootingFirmware(probe)
  if (firmware) facts.firmware = firmware
  const settings = probe.config
  if (settings) {
    const pairId = settings.config.pairId
    if (settings.stored.includes('pairId') && typeof pairId === 'string' && pairId !== '') facts.pairId = pairId
    const role = settings.config.role
    if (settings.stored.includes('role') && (role === 1 || role === 2)) facts.role = role
  }
  return facts
}

/** The first app partition holding an ESP-IDF app (the factory app, or ota_0 in a table without one). */
function bootingFirmware(probe: ProbeResult): DeviceFirmware | undefined {
  const app = probe.apps?.find((candidate) => candidate.descriptor)
  const descriptor = app?.descriptor
  if (!app || !descriptor) return undefined
  return {
    partition: app.partition,
    projectName: descriptor.projectName,
    version: descriptor.version,
    idfVersion: descriptor.idfVersion,
    date: descriptor.date,
    time: descriptor.time,
    elfSha256: descriptor.elfSha256,
  }
}
