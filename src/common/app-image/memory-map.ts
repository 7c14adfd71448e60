// Which memory a segment's load address falls in, per chip, as esptool's image_info names
// it. Ranges are [start, end) and may overlap; an address gets every name that contains it,
// in table order. Taken from esptool's ROM classes (MEMORY_MAP), same in esptool-js 0.7.

type Range = readonly [start: number, end: number, name: string]

const ESP32: readonly Range[] = [
  [0x00000000, 0x00010000, 'PADDING'], [0x3f400000, 0x3f800000, 'DROM'], [0x3f800000, 0x3fc00000, 'EXTRAM_DATA'],
  [0x3ff80000, 0x3ff82000, 'RTC_DRAM'], [0x3ff90000, 0x40000000, 'BYTE_ACCESSIBLE'], [0x3ffae000, 0x40000000, 'DRAM'],
  [0x3ffe0000, 0x3ffffffc, 'DIRAM_DRAM'], [0x40000000, 0x40070000, 'IROM'], [0x40070000, 0x40078000, 'CACHE_PRO'],
  [0x40078000, 0x40080000, 'CACHE_APP'], [0x40080000, 0x400a0000, 'IRAM'], [0x400a0000, 0x400bfffc, 'DIRAM_IRAM'],
  [0x400c0000, 0x400c2000, 'RTC_IRAM'], [0x400d0000, 0x40400000, 'IROM'], [0x50000000, 0x50002000, 'RTC_DATA'],
]
const ESP32S2: readonly Range[] = [
  [0x00000000, 0x00010000, 'PADDING'], [0x3f000000, 0x3ff80000, 'DROM'], [0x3f500000, 0x3ff80000, 'EXTRAM_DATA'],
  [0x3ff9e000, 0x3ffa0000, 'RTC_DRAM'], [0x3ff9e000, 0x40000000, 'BYTE_ACCESSIBLE'], [0x3ff9e000, 0x40072000, 'MEM_INTERNAL'],
  [0x3ffb0000, 0x40000000, 'DRAM'], [0x40000000, 0x4001a100, 'IROM_MASK'], [0x40020000, 0x40070000, 'IRAM'],
  [0x40070000, 0x40072000, 'RTC_IRAM'], [0x40080000, 0x40800000, 'IROM'], [0x50000000, 0x50002000, 'RTC_DATA'],
]
const ESP32S3: readonly Range[] = [
  [0x00000000, 0x00010000, 'PADDING'], [0x3c000000, 0x3d000000, 'DROM'], [0x3d000000, 0x3e000000, 'EXTRAM_DATA'],
  [0x600fe000, 0x60100000, 'RTC_DRAM'], [0x3fc88000, 0x3fd00000, 'BYTE_ACCESSIBLE'], [0x3fc88000, 0x403e2000, 'MEM_INTERNAL'],
  [0x3fc88000, 0x3fd00000, 'DRAM'], [0x40000000, 0x4001a100, 'IROM_MASK'], [0x40370000, 0x403e0000, 'IRAM'],
  [0x600fe000, 0x60100000, 'RTC_IRAM'], [0x42000000, 0x42800000, 'IROM'], [0x50000000, 0x50002000, 'RTC_DATA'],
]
const ESP32C2: readonly Range[] = [
  [0x00000000, 0x00010000, 'PADDING'], [0x3c000000, 0x3c400000, 'DROM'], [0x3fca0000, 0x3fce0000, 'DRAM'],
  [0x3fc88000, 0x3fd00000, 'BYTE_ACCESSIBLE'], [0x3ff00000, 0x3ff50000, 'DROM_MASK'], [0x40000000, 0x40090000, 'IROM_MASK'],
  [0x42000000, 0x42400000, 'IROM'], [0x4037c000, 0x403c0000, 'IRAM'],
]
const ESP32C3: readonly Range[] = [
  [0x00000000, 0x00010000, 'PADDING'], [0x3c000000, 0x3c800000, 'DROM'], [0x3fc80000, 0x3fce0000, 'DRAM'],
  [0x3fc88000, 0x3fd00000, 'BYTE_ACCESSIBLE'], [0x3ff00000, 0x3ff20000, 'DROM_MASK'], [0x40000000, 0x40060000, 'IROM_MASK'],
  [0x42000000, 0x42800000, 'IROM'], [0x4037c000, 0x403e0000, 'IRAM'], [0x50000000, 0x50002000, 'RTC_IRAM'],
  [0x50000000, 0x50002000, 'RTC_DRAM'], [0x600fe000, 0x60100000, 'MEM_INTERNAL2'],
]
/** C6 and H2 share one layout ("C6 family"). */
function c6Family(drom: number, dromEnd: number, ramEnd: number, maskSplit: number): readonly Range[] {
  return [
    [0x00000000, 0x00010000, 'PADDING'], [drom, dromEnd, 'DROM'], [0x40800000, ramEnd, 'DRAM'],
    [0x40800000, ramEnd, 'BYTE_ACCESSIBLE'], [maskSplit, 0x40050000, 'DROM_MASK'], [0x40000000, maskSplit, 'IROM_MASK'],
    [drom, dromEnd, 'IROM'], [0x40800000, ramEnd, 'IRAM'], [0x50000000, 0x50004000, 'RTC_IRAM'],
    [0x50000000, 0x50004000, 'RTC_DRAM'], [0x600fe000, 0x60100000, 'MEM_INTERNAL2'],
  ]
}
const ESP32C6 = c6Family(0x42000000, 0x43000000, 0x40880000, 0x4004ac00)
const ESP32C5: readonly Range[] = [
  [0x00000000, 0x00010000, 'PADDING'], [0x42000000, 0x44000000, 'DROM'], [0x40800000, 0x40860000, 'DRAM'],
  [0x40800000, 0x40860000, 'BYTE_ACCESSIBLE'], [0x4003a000, 0x40040000, 'DROM_MASK'], [0x40000000, 0x4003a000, 'IROM_MASK'],
  [0x42000000, 0x44000000, 'IROM'], [0x40800000, 0x40860000, 'IRAM'], [0x50000000, 0x50004000, 'RTC_IRAM'],
  [0x50000000, 0x50004000, 'RTC_DRAM'], [0x600fe000, 0x60100000, 'MEM_INTERNAL2'],
]
const ESP32C61: readonly Range[] = [
  [0x00000000, 0x00010000, 'PADDING'], [0x41800000, 0x42000000, 'DROM'], [0x40800000, 0x40860000, 'DRAM'],
  [0x40800000, 0x40860000, 'BYTE_ACCESSIBLE'], [0x4004ac00, 0x40050000, 'DROM_MASK'], [0x40000000, 0x4004ac00, 'IROM_MASK'],
  [0x41000000, 0x41800000, 'IROM'], [0x40800000, 0x40860000, 'IRAM'], [0x50000000, 0x50004000, 'RTC_IRAM'],
  [0x50000000, 0x50004000, 'RTC_DRAM'], [0x600fe000, 0x60100000, 'MEM_INTERNAL2'],
]
const ESP32P4: readonly Range[] = [
  [0x00000000, 0x00010000, 'PADDING'], [0x40000000, 0x4c000000, 'DROM'], [0x4ff00000, 0x4ffa0000, 'DRAM'],
  [0x4ff00000, 0x4ffa0000, 'BYTE_ACCESSIBLE'], [0x4fc00000, 0x4fc20000, 'DROM_MASK'], [0x4fc00000, 0x4fc20000, 'IROM_MASK'],
  [0x40000000, 0x4c000000, 'IROM'], [0x4ff00000, 0x4ffa0000, 'IRAM'], [0x50108000, 0x50110000, 'RTC_IRAM'],
  [0x50108000, 0x50110000, 'RTC_DRAM'], [0x600fe000, 0x60100000, 'MEM_INTERNAL2'],
]

const MEMORY_MAPS: Record<string, readonly Range[]> = {
  esp32: ESP32,
  esp32s2: ESP32S2,
  esp32s3: ESP32S3,
  esp32c2: ESP32C2,
  esp32c3: ESP32C3,
  esp32c5: ESP32C5,
  esp32c6: ESP32C6,
  esp32c61: ESP32C61,
  esp32h2: ESP32C6,
  // Assumption: esptool's H21 class defines no map of its own and inherits the H2 one.
  esp32h21: ESP32C6,
  esp32p4: ESP32P4,
}

/** Memory names for a load address; empty when the chip's map is not tabulated. */
export function memoryTypes(chip: string | undefined, loadAddress: number): string[] {
  const map = chip === undefined ? undefined : MEMORY_MAPS[chip]
  if (!map) return []
  return map.filter(([start, end]) => start <= loadAddress && loadAddress < end).map(([, , name]) => name)
}

/** Code or read-only data mapped from flash through the MMU (an app, not a RAM-only image). */
export function isFlashMapped(types: readonly string[]): boolean {
  return types.includes('IROM') || types.includes('DROM')
}
