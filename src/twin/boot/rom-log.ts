// What the mask ROM prints after a reset, before any code from flash runs.
import type { TwinChipDef } from '../../common/esp/chips'
import type { ImageInfo } from '../../common/app-image'
import { hex } from '../../common/hex'

export type ResetCause = 'power-on' | 'software' | 'rtc-watchdog' | 'panic'

const FLASH_MODE_NAMES = ['QIO', 'QOUT', 'DIO', 'DOUT']

function resetText(chip: TwinChipDef, cause: ResetCause): string {
  if (cause === 'power-on') return chip.twin.romText.powerOnReset
  if (cause === 'rtc-watchdog') return chip.twin.romText.rtcWatchdogReset
  return chip.twin.romText.softwareReset
}

export function romBanner(chip: TwinChipDef, cause: ResetCause, mode: 'download' | 'app'): string[] {
  const boot = mode === 'download' ? chip.twin.romText.downloadBoot : chip.twin.romText.flashBoot
  const lines = [...chip.twin.romBannerPrefix, `rst:${resetText(chip, cause)},boot:${boot}`]
  if (mode === 'download') return [...lines, 'waiting for download']
  return lines
}

/** The flash-configuration lines the ROM prints before loading the second-stage bootloader. */
export function romFlashConfigLines(chip: TwinChipDef, flashModeCode: number): string[] {
  const mode = FLASH_MODE_NAMES[flashModeCode] ?? 'DIO'
  if (chip.name === 'esp32') {
    return ['configsip: 0, SPIWP:0xee', 'clk_drv:0x00,q_drv:0x00,d_drv:0x00,cs0_drv:0x00,hd_drv:0x00,wp_drv:0x00', `mode:${mode}, clock div:2`]
  }
  return ['SPIWP:0xee', `mode:${mode}, clock div:1`]
}

/** `load:0x…,len:…` per bootloader segment, then `entry 0x…`. */
export function romLoadLines(chip: TwinChipDef, image: ImageInfo): string[] {
  const lines = image.segments.map(
    (segment) => `load:${hex(segment.loadAddress, 8)},len:${chip.twin.romText.loadLengthHex ? hex(segment.length) : segment.length}`,
  )
  return [...lines, `entry ${hex(image.header.entryPoint, 8)}`]
}

export function invalidHeaderLine(firstWord: number): string {
  return `invalid header: 0x${(firstWord >>> 0).toString(16).padStart(8, '0')}`
}
