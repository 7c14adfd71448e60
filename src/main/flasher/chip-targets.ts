// Per-chip knowledge we do not re-derive: esptool-js's target classes (eFuse layouts for
// revision, features, crystal and MAC; SPI register offsets) and its bundled flasher stubs
// (esp-flasher-stub, Apache-2.0 OR MIT). They expect an ESPLoader; we hand them a small
// object with the few members they touch (readReg, writeReg, transport.baudrate, log).
import { CHIP_DEFS } from 'esptool-js/lib/targets/index.js'
import type { ROM } from 'esptool-js/lib/targets/rom.js'
import { getStubJsonByChipName } from 'esptool-js/lib/stubFlasher.js'
import type { Loader } from './loader'

export type ChipTarget = ROM & {
  CHIP_NAME: string
  IMAGE_CHIP_ID?: number
  EFUSE_BASE?: number
  getChipRevision?: (loader: unknown) => Promise<number>
}

export function targetByName(name: string): ChipTarget | undefined {
  return (CHIP_DEFS as Record<string, ChipTarget>)[name]
}

/** The ESPLoader look-alike the target classes are given. */
export function targetShim(loader: Loader, romBaud: number, notes: string[]): unknown {
  return {
    readReg: (address: number) => loader.readReg(address),
    writeReg: (address: number, value: number, mask = 0xffffffff, delayUs = 0) => loader.writeReg(address, value, mask, delayUs),
    transport: { baudrate: romBaud },
    IS_STUB: loader.isStub,
    secureDownloadMode: false,
    ESP_RAM_BLOCK: 0x1800,
    usesUsbOtg: async () => false,
    changeBaud: async () => {},
    info: (text: string) => notes.push(text),
    debug: () => {},
    error: (text: string) => notes.push(text),
  }
}

export interface StubImage {
  entry: number
  text: Uint8Array
  textStart: number
  data: Uint8Array
  dataStart: number
}

/** The flasher stub for a chip (esptool-js CHIP_NAME, e.g. "ESP32-C3"), or undefined if none is bundled. */
export async function loadStub(chipName: string, revision?: number): Promise<StubImage | undefined> {
  const stub = await getStubJsonByChipName(chipName, revision ?? 0)
  if (!stub) return undefined
  return { entry: stub.entry, text: stub.decodedText, textStart: stub.text_start, data: stub.decodedData, dataStart: stub.data_start }
}
