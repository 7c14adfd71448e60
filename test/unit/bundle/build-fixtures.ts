// Build-directory contents made from the fixture images, and flasher_args.json in both
// ESP-IDF spellings: underscores (≤ 5.5) and dashes (≥ 6.0).
import { fixture } from '../app-image/fixtures'

export type Spelling = 'underscore' | 'dash'

export interface BuildLayout {
  chip: string
  bootloaderOffset: number
  files: Record<string, Uint8Array>
}

/** An ESP32 single-app build: bootloader at 0x1000, table at 0x8000, app at 0x10000. */
export function esp32Build(): BuildLayout {
  return {
    chip: 'esp32',
    bootloaderOffset: 0x1000,
    files: {
      'bootloader/bootloader.bin': fixture('images/bootloader_esp32_v5_2.bin'),
      'partition_table/partition-table.bin': fixture('partition-tables/partitions_singleapp.bin'),
      'hello-world.bin': fixture('images/hello-world-signed.bin'),
    },
  }
}

/**
 * How the build lists an NVS image flashed with the project (nvs_create_partition_image with
 * FLASH_IN_PROJECT) at 0x9000: in flash_files only, or also as a per-image "nvs" object.
 */
export type NvsListing = 'flash_files only' | 'named'

export function flasherArgsJson(spelling: Spelling, layout: BuildLayout, overrides: { flashSize?: string; app?: string; nvs?: NvsListing } = {}): string {
  const dash = spelling === 'dash'
  const opt = (name: string) => (dash ? `--${name.replace(/_/g, '-')}` : `--${name}`)
  const reset = (name: string) => (dash ? name.replace(/_/g, '-') : name)
  const app = overrides.app ?? 'hello-world.bin'
  const bl = `0x${layout.bootloaderOffset.toString(16)}`
  const size = overrides.flashSize ?? '2MB'
  return JSON.stringify({
    write_flash_args: [opt('flash_mode'), 'dio', opt('flash_size'), size, opt('flash_freq'), '40m'],
    flash_settings: { flash_mode: 'dio', flash_size: size, flash_freq: '40m' },
    flash_files: { '0x10000': app, [bl]: 'bootloader/bootloader.bin', '0x8000': 'partition_table/partition-table.bin', ...(overrides.nvs ? { '0x9000': 'nvs.bin' } : {}) },
    ...(overrides.nvs === 'named' ? { nvs: { offset: '0x9000', file: 'nvs.bin', encrypted: 'false' } } : {}),
    bootloader: { offset: bl, file: 'bootloader/bootloader.bin', encrypted: 'false' },
    app: { offset: '0x10000', file: app, encrypted: 'false' },
    'partition-table': { offset: '0x8000', file: 'partition_table/partition-table.bin', encrypted: 'false' },
    extra_esptool_args: { after: reset('hard_reset'), before: reset('default_reset'), stub: true, chip: layout.chip },
  }, null, 4)
}
