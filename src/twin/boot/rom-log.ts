// What the mask ROM prints after a reset, before any code from flash runs.
import type { ChipDef } from '../../common/esp/chips'
import type { ImageInfo } from '../../common/app-image'

export type ResetCause = 'power-on' | 'software' | 'rtc-watchdog' | 'panic'

const FLASH_MODE_NAMES = ['QIO', 'QOUT', 'DIO', 'DOUT']

function resetText(chip: ChipDef, cause: ResetCause): string {
  if (cause === 'power-on') return chip.romText.powerOnReset
  if (cause === 'rtc-watchdog') return chip.romText.rtcWatchdogReset
  return chip.romText.softwareReset
}

export function romBanner(chip: ChipDef, cause: ResetCause, mode: 'download' | 'app'): string[] {
  const boot = mode === 'download' ? chip.romText.downloadBoot : chip.romText.flashBoot
  const lines = [...chip.romBannerPrefix, `rst:${resetText(chip, cause)},boot:${boot}`]
  if (mode === 'download') return [...lines, 'waiting for download']
  return lines
}

/** The flash-configuration lines the ROM prints before loading the second-stage bootloader. */
export function romFlashConfigLines(chip: ChipDef, flashModeCode: number): string[] {
  const mode = FLASH_MODE_NAMES[flashModeCode] ?? 'DIO'
  if (chip.id === 'esp32') {
    return ['configsip: 0, SPIWP:0xee', 'clk_drv:0x00,q_drv:0x00,d_drv:0x00,cs0_drv:0x00,hd_drv:0x00,wp_drv:0x00', `mode:${mode}, clock div:2`]
  }
  return ['SPIWP:0xee', `mode:${mode}, clock div:1`]
}

/** `load:0x…,len:…` per bootloader segment, then `entry 0x…`. */
export function romLoadLines(chip: ChipDef, image: ImageInfo): string[] {
  const hex = (value: number) => `0x${value.toString(16).padStart(8, '0')}`
  const lines = image.segments.map(
    (segment) => `load:${hex(segment.loadAddress)},len:${chip.romText.loadLengthHex ? `0x${segment.length.toString(16)}` : segment.length}`,
  )
  return [...lines, `entry ${hex(image.header.entryPoint)}`]
}

export function invalidHeaderLine(firstWord: number): string {
  return `invalid header: 0x${(firstWord >>> 0).toString(16).padStart(8, '0')}`
}
