// What happens after a reset: the ROM banner, then either the serial loader (download
// mode) or the boot from flash: ROM → second-stage bootloader → app startup → firmware.
// Every line is derived from the flash contents; a broken stage fails as a chip does.
import type { TwinChipDef } from '../../common/esp/chips'
import { formatFlashSize } from '../../common/esp/flash-size'
import { hexDigits } from '../../common/hex'
import type { EspLogLevel } from '../../common/serverless/firmware-log'
import type { FlashMemory } from '../flash'
import { startFirmware, type FirmwareHandle, type FirmwareOptions } from '../firmware/firmware'
import { espLogLine } from './esp-log'
import { partitionUsage, pickBootPartition, readBootloader, readImage, readPartitionTable } from './flash-layout'
import { invalidHeaderLine, romBanner, romFlashConfigLines, romLoadLines, type ResetCause } from './rom-log'

export type { ResetCause } from './rom-log'

/** Approximate: the ROM retries the header about every 50 ms until its RTC watchdog fires. */
const INVALID_HEADER_INTERVAL_MS = 50
const INVALID_HEADER_WATCHDOG_MS = 3000
/** The bootloader restarts the chip this long after a fatal error (bootloader_reset). */
const BOOTLOADER_RESET_DELAY_MS = 1000

export interface BootContext {
  device: { print(text: string): void }
  chip: TwinChipDef
  flash: FlashMemory
  mode: 'download' | 'app'
  cause: ResetCause
  /** Skip the ROM banner (it went out before anyone listened). */
  quietRom?: boolean
  bootCount: number
  firmware: FirmwareOptions
  mac: string
  reboot(cause: ResetCause): void
}

export interface BootHandle {
  stop(): void
}

export function startBoot(ctx: BootContext): BootHandle {
  const timers = new Set<NodeJS.Timeout>()
  let firmware: FirmwareHandle | undefined
  let stopped = false
  const startedAt = performance.now()
  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (!stopped) run()
    }, ms)
    timers.add(timer)
  }
  const print = (lines: string[]) => ctx.device.print(lines.map((line) => line + '\r\n').join(''))
  // ESP-IDF timestamps count from the start of the second-stage bootloader's clock; the
  // ROM stage takes about 30 ms before the first line.
  const log = (level: EspLogLevel, tag: string, message: string) =>
    ctx.device.print(espLogLine(level, performance.now() - startedAt + 27, tag, message, ctx.firmware.logColours))

  if (!ctx.quietRom) print(romBanner(ctx.chip, ctx.cause, ctx.mode))
  if (ctx.mode === 'app') bootFromFlash()

  function invalidHeaderLoop(firstWord: number): void {
    const started = performance.now()
    const tick = () => {
      print([invalidHeaderLine(firstWord)])
      if (performance.now() - started >= INVALID_HEADER_WATCHDOG_MS) ctx.reboot('rtc-watchdog')
      else later(INVALID_HEADER_INTERVAL_MS, tick)
    }
    tick()
  }

  function bootloaderFailure(lines: [EspLogLevel, string, string][]): void {
    for (const [level, tag, message] of lines) log(level, tag, message)
    later(BOOTLOADER_RESET_DELAY_MS, () => ctx.reboot('software'))
  }

  function bootFromFlash(): void {
    const bootloader = readBootloader(ctx.chip, ctx.flash)
    if (!bootloader.ok) {
      invalidHeaderLoop(bootloader.firstWord)
      return
    }
    const header = bootloader.image.header
    print([...romFlashConfigLines(ctx.chip, header.flashModeCode), ...romLoadLines(ctx.chip, bootloader.image)])

    const bootDesc = bootloader.image.bootloaderDescriptor
    const entries = readPartitionTable(ctx.flash)
    const appEntry = pickBootPartition(entries)
    const app = appEntry ? readImage(ctx.flash, appEntry.offset, appEntry.size) : undefined
    const appDesc = app?.ok ? app.image.appDescriptor : undefined
    // Before ESP-IDF v5.2 the bootloader carries no descriptor; its version is then taken
    // from the app (both are built from the same tree), and its compile time is unknown.
    const idf = bootDesc?.idfVersion ?? appDesc?.idfVersion
    log('I', 'boot', idf ? `ESP-IDF ${idf} 2nd stage bootloader` : '2nd stage bootloader')
    if (bootDesc) log('I', 'boot', `compile time ${bootDesc.dateTime}`)
    if (ctx.chip.name !== 'esp32c3') log('I', 'boot', 'Multicore bootloader')
    log('I', 'boot', 'chip revision: v0.0')
    const bootTag = `boot.${ctx.chip.name}`
    log('I', bootTag, `SPI Speed      : ${(header.flashFreq ?? '40m').replace(/m$/, 'MHz')}`)
    log('I', bootTag, `SPI Mode       : ${header.flashMode ?? 'DIO'}`)
    log('I', bootTag, `SPI Flash Size : ${header.flashSize ?? formatFlashSize(ctx.flash.size)}`)
    log('I', 'boot', 'Enabling RNG early entropy source...')
    if (entries.length === 0) {
      const magic = ctx.flash.read(0x8000, 2)
      bootloaderFailure([
        ['E', 'flash_parts', `partition 0 invalid magic number 0x${((magic[0] ?? 0) | ((magic[1] ?? 0) << 8)).toString(16)}`],
        ['E', 'boot', 'Failed to verify partition table'],
        ['E', 'boot', 'load partition table error!'],
      ])
      return
    }
    log('I', 'boot', 'Partition Table:')
    log('I', 'boot', '## Label            Usage          Type ST Offset   Length')
    entries.forEach((entry, index) => {
      log('I', 'boot', `${String(index).padStart(2)} ${entry.name.padEnd(16)} ${partitionUsage(entry).padEnd(16)} ${hexDigits(entry.type, 2)} ${hexDigits(entry.subtype, 2)} ${hexDigits(entry.offset, 8)} ${hexDigits(entry.size, 8)}`)
    })
    log('I', 'boot', 'End of partition table')
    if (!appEntry || !app) {
      bootloaderFailure([['E', 'boot', 'No bootable app partitions in the partition table']])
      return
    }
    if (!app.ok) {
      const magicBad = app.reason === 'invalid magic'
      bootloaderFailure([
        ['E', 'esp_image', magicBad ? `image at 0x${appEntry.offset.toString(16)} has invalid magic byte (nothing flashed here?)` : app.reason],
        ['E', 'boot', `${appEntry.subtype === 0 ? 'Factory' : 'OTA'} app partition is not bootable`],
        ['E', 'boot', 'No bootable app partitions in the partition table'],
      ])
      return
    }
    for (const segment of app.image.segments) {
      const paddr = appEntry.offset + segment.fileOffset + 8
      const mapped = segment.memoryTypes.some((type) => type === 'DROM' || type === 'IROM')
      log('I', 'esp_image', `segment ${segment.index}: paddr=${hexDigits(paddr, 8)} vaddr=${hexDigits(segment.loadAddress, 8)} size=${hexDigits(segment.length, 5)}h (${String(segment.length).padStart(6)}) ${mapped ? 'map' : 'load'}`)
    }
    log('I', 'boot', `Loaded app from partition at offset 0x${appEntry.offset.toString(16)}`)
    log('I', 'boot', 'Disabling RNG early entropy source...')

    log('I', 'cpu_start', ctx.chip.name === 'esp32c3' ? 'Unicore app' : 'Multicore app')
    log('I', 'cpu_start', 'Pro cpu start user code')
    log('I', 'cpu_start', `cpu freq: 160000000 Hz`)
    if (appDesc) {
      // ESP-IDF v5.1 moved these lines from cpu_start to app_init.
      const tag = /^v(?:[6-9]|5\.[1-9])/.test(appDesc.idfVersion) ? 'app_init' : 'cpu_start'
      log('I', tag, 'Application information:')
      log('I', tag, `Project name:     ${appDesc.projectName}`)
      log('I', tag, `App version:      ${appDesc.version}`)
      log('I', tag, `Compile time:     ${appDesc.date} ${appDesc.time}`)
      log('I', tag, `ELF file SHA256:  ${appDesc.elfSha256.slice(0, 16)}...`)
      log('I', tag, `ESP-IDF:          ${appDesc.idfVersion}`)
    }
    log('I', 'main_task', 'Calling app_main()')
    firmware = startFirmware({
      projectName: appDesc?.projectName,
      elfSha256: appDesc?.elfSha256,
      chip: ctx.chip,
      mac: ctx.mac,
      flash: ctx.flash,
      options: ctx.firmware,
      log,
      print: (text) => ctx.device.print(text),
      uptimeMs: () => performance.now() - startedAt,
      restart: (cause) => ctx.reboot(cause),
    })
  }

  return {
    stop() {
      stopped = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      firmware?.stop()
      firmware = undefined
    },
  }
}
