// Whether an image may run on a given chip (and chip revision).
import { chipByName } from '../esp/chips'
import type { ImageHeader } from './parse-image'
import type { ImageProblem } from './problems'

export interface TargetDevice {
  /** Chip name, e.g. "esp32s3". */
  chip: string
  /** The device's revision as major × 100 + minor, when known. */
  revision?: number
}

export function checkImageForChip(header: ImageHeader, device: TargetDevice): ImageProblem[] {
  const problems: ImageProblem[] = []
  const wanted = chipByName(device.chip)
  const built = header.chip ?? `an unknown chip (id ${header.chipId})`
  const deviceName = wanted?.name ?? device.chip
  if (!wanted || wanted.imageChipId !== header.chipId) {
    problems.push({ code: 'CHIP_MISMATCH', message: `built for ${built}, the device is ${article(deviceName)} ${deviceName}` })
    return problems
  }
  if (device.revision !== undefined) {
    if (device.revision < header.minRevFull) {
      problems.push({ code: 'CHIP_REVISION', message: `needs chip revision ${formatRevision(header.minRevFull)} or newer, the device is ${formatRevision(device.revision)}` })
    }
    // 0 means "not set"; esptool's RAM test images carry 0xFFFF, which allows everything.
    if (header.maxRevFull !== 0 && device.revision > header.maxRevFull) {
      problems.push({ code: 'CHIP_REVISION', message: `supports chip revisions up to ${formatRevision(header.maxRevFull)}, the device is ${formatRevision(device.revision)}` })
    }
  }
  return problems
}

/** 399 → "v3.99", as esptool prints revisions. */
export function formatRevision(full: number): string {
  return `v${Math.floor(full / 100)}.${full % 100}`
}

function article(name: string): string {
  // Every chip name starts with "esp": "an esp32…"; anything else reads with "a".
  return /^[aeiou]/i.test(name) ? 'an' : 'a'
}
