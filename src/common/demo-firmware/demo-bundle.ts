// The demo firmware as an ESP-IDF build folder would hold it — bootloader, partition table
// with an "nvs" partition, the serverless_mqtt app and flasher_args.json — and as the Bundle
// PairKit reads from such a folder. The virtual lab writes these to its twins; `pairkit
// flash` and the Flash view take the folder like any build.
import { bundleFromFlasherArgs, type Bundle } from '../bundle'
import { BRIDGE_PROJECT_NAME } from '../config/contract'
import { encodePartitionTable, TYPE_APP, TYPE_DATA, type PartitionEntry } from '../partition-table'
import { demoAppImage, demoBootloaderImage, type DemoFirmwareOptions } from './demo-images'
import { chipByName } from '../esp/chips'

export const DEMO_TABLE_OFFSET = 0x8000
export const DEMO_APP_OFFSET = 0x10000
export const DEMO_FLASH = { mode: 'dio', size: '4MB', freq: '80m' } as const

/** ESP-IDF's single-app layout: settings in "nvs", PHY calibration, one factory app of 1 MB. */
export const DEMO_PARTITIONS: readonly PartitionEntry[] = Object.freeze([
  { name: 'nvs', type: TYPE_DATA, subtype: 0x02, offset: 0x9000, size: 0x6000, flags: 0 },
  { name: 'phy_init', type: TYPE_DATA, subtype: 0x01, offset: 0xf000, size: 0x1000, flags: 0 },
  { name: 'factory', type: TYPE_APP, subtype: 0x00, offset: DEMO_APP_OFFSET, size: 0x100000, flags: 0 },
])

export const DEMO_FILES = {
  bootloader: 'bootloader/bootloader.bin',
  partitionTable: 'partition_table/partition-table.bin',
  app: `${BRIDGE_PROJECT_NAME}.bin`,
  flasherArgs: 'flasher_args.json',
} as const

export function demoPartitionTable(): Uint8Array {
  return encodePartitionTable(DEMO_PARTITIONS)
}

/** flasher_args.json in ESP-IDF ≤ 5.5's spelling (underscores), which the descriptors' v5.4 layout goes with. */
export function demoFlasherArgs(chip: string): string {
  const bootloaderOffset = `0x${(chipByName(chip)?.bootloaderOffset ?? 0).toString(16)}`
  const table = `0x${DEMO_TABLE_OFFSET.toString(16)}`
  const app = `0x${DEMO_APP_OFFSET.toString(16)}`
  const image = (offset: string, file: string) => ({ offset, file, encrypted: 'false' })
  return JSON.stringify(
    {
      write_flash_args: [esptoolOption('flash_mode'), DEMO_FLASH.mode, esptoolOption('flash_size'), DEMO_FLASH.size, esptoolOption('flash_freq'), DEMO_FLASH.freq],
      flash_settings: { flash_mode: DEMO_FLASH.mode, flash_size: DEMO_FLASH.size, flash_freq: DEMO_FLASH.freq },
      flash_files: { [bootloaderOffset]: DEMO_FILES.bootloader, [table]: DEMO_FILES.partitionTable, [app]: DEMO_FILES.app },
      bootloader: image(bootloaderOffset, DEMO_FILES.bootloader),
      app: image(app, DEMO_FILES.app),
      'partition-table': image(table, DEMO_FILES.partitionTable),
      extra_esptool_args: { after: 'hard_reset', before: 'default_reset', stub: true, chip },
    },
    null,
    4,
  ) + '\n'
}

/** An option of esptool's write_flash as the build lists it (data for esptool, never shown to a technician). */
function esptoolOption(name: string): string {
  return `--${name}`
}

/** The build folder's files by their paths relative to it. */
export function demoBuildFiles(options: DemoFirmwareOptions): Record<string, Uint8Array> {
  return {
    [DEMO_FILES.bootloader]: demoBootloaderImage(options),
    [DEMO_FILES.partitionTable]: demoPartitionTable(),
    [DEMO_FILES.app]: demoAppImage(options),
    [DEMO_FILES.flasherArgs]: new TextEncoder().encode(demoFlasherArgs(options.chip)),
  }
}

/** The bundle, read from those files by the same rules as any build folder. */
export function demoBundle(options: DemoFirmwareOptions): Bundle {
  const files = demoBuildFiles(options)
  const text = new TextDecoder().decode(files[DEMO_FILES.flasherArgs])
  return bundleFromFlasherArgs(text, (path) => files[path], `PairKit demo firmware (${options.chip})`)
}
