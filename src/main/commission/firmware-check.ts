// Which parts of a bundle a device does not hold yet: one connection, an SPI_FLASH_MD5 per part,
// compared with the part's own MD5. Nothing is written; the device stays in its bootloader. The
// commissioning flashes only what differs, through the flasher's usual job.
import { padToWord, type PlannedRegion } from '../../common/flasher/plan'
import { PairKitError } from '../../common/errors'
import type { JobContext } from '../flasher/flasher-service'
import { flashMd5, md5Hex } from '../flasher/flash-ops'
import { connect } from '../flasher/operations'

export interface FirmwareCheck {
  /** The parts whose bytes on the device differ from the bundle's (by offset). */
  differing: number[]
  /** The parts checked. */
  checked: number
}

export async function checkFirmware({ port, signal, reporter }: JobContext, regions: readonly PlannedRegion[]): Promise<FirmwareCheck> {
  const session = await connect(port, { signal }, reporter, true)
  try {
    const differing: number[] = []
    for (const region of regions) {
      reporter.stage(`comparing ${region.name ?? `the part at 0x${region.offset.toString(16)}`}`)
      const bytes = padToWord(region.bytes)
      let same = false
      try {
        same = (await flashMd5(session, region.offset, bytes.length)) === md5Hex(bytes)
      } catch (error) {
        // A part beyond the device's flash cannot be compared; the flash job then says why it does not fit.
        if (!(error instanceof PairKitError) || error.code !== 'ROM_STATUS') throw error
      }
      if (!same) differing.push(region.offset)
    }
    reporter.deviceState = 'the device is in its bootloader; nothing was changed'
    return { differing, checked: regions.length }
  } finally {
    await session.close()
  }
}
