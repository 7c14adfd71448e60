// The chip registry: one frozen definition per chip, ids that identify, detection both ways,
// and the data ported from esptool's targets checked against esptool-js 0.7.0's copy.
import { CHIP_DEFS } from 'esptool-js/lib/targets/index.js'
import { describe, expect, it } from 'vitest'
import { CHIP_NAMES, CHIPS, chipById, chipByMagic, chipByName, chipBySecurityId, detectByMagic, RECOGNISED_ONLY, TWIN_CHIPS, twinChipByName, type ChipDef } from '../../../src/common/esp/chips'

function everyObjectIn(value: unknown, path: string, out: Array<[string, object]> = []): Array<[string, object]> {
  if (typeof value === 'object' && value !== null) {
    out.push([path, value])
    for (const [key, member] of Object.entries(value)) everyObjectIn(member, `${path}.${key}`, out)
  }
  return out
}

const unique = (values: readonly unknown[]) => new Set(values).size === values.length

describe('chip registry', () => {
  it('knows the fourteen ESP32-family chips, in image chip id order', () => {
    expect(CHIP_NAMES).toEqual(['esp32', 'esp32s2', 'esp32c3', 'esp32s3', 'esp32c2', 'esp32c6', 'esp32h2', 'esp32p4', 'esp32c61', 'esp32c5', 'esp32h21', 'esp32h4', 'esp32e22', 'esp32s31'])
    expect(CHIPS.map((chip) => chip.imageChipId)).toEqual([...CHIPS.map((chip) => chip.imageChipId)].sort((a, b) => a - b))
  })

  it('freezes every definition all the way down, and the registry itself', () => {
    expect(Object.isFrozen(CHIPS)).toBe(true)
    for (const chip of CHIPS) {
      for (const [path, object] of everyObjectIn(chip, chip.name)) expect(Object.isFrozen(object), path).toBe(true)
      expect(() => {
        ;(chip as { bootloaderOffset: number }).bootloaderOffset = 0x8000
      }).toThrow(TypeError)
      expect(() => (chip.memoryMap as unknown[]).push({ start: 0, end: 1, name: 'X' })).toThrow(TypeError)
    }
  })

  it('has unique names, display names, image chip ids and magic words', () => {
    expect(unique(CHIPS.map((chip) => chip.name))).toBe(true)
    expect(unique(CHIPS.map((chip) => chip.displayName))).toBe(true)
    expect(unique(CHIPS.map((chip) => chip.imageChipId))).toBe(true)
    const magics = [...CHIPS.flatMap((chip) => chip.magicValues), ...RECOGNISED_ONLY.flatMap((chip) => chip.magicValues)]
    expect(unique(magics)).toBe(true)
  })

  it('finds a chip by name in any spelling and by image chip id', () => {
    for (const chip of CHIPS) {
      expect(chipByName(chip.name)).toBe(chip)
      expect(chipByName(chip.displayName)).toBe(chip)
      expect(chipById(chip.imageChipId)).toBe(chip)
    }
    expect(chipByName('ESP32_S3')).toBe(chipByName('esp32s3'))
    expect(chipByName('esp8266')).toBeUndefined()
    expect(chipById(4)).toBeUndefined()
  })

  it('offers the twin exactly the chips with a twin profile', () => {
    expect(TWIN_CHIPS.map((chip) => chip.name)).toEqual(['esp32', 'esp32c3', 'esp32s3'])
    expect(twinChipByName('ESP32-C3')?.twin.romText.flashBoot).toBe('0xc (SPI_FAST_FLASH_BOOT)')
    expect(twinChipByName('esp32c6')).toBeUndefined()
  })
})

describe('chip detection', () => {
  it('maps every magic word back to its chip', () => {
    for (const chip of CHIPS) for (const magic of chip.magicValues) expect(chipByMagic(magic), `0x${magic.toString(16)}`).toBe(chip)
    // READ_REG answers are unsigned, but a caller may hand over a signed 32-bit value.
    expect(chipByMagic(0xd7b73e80 | 0)?.name).toBe('esp32h2')
  })

  it('recognises the ESP8266 only to say PairKit does not flash it', () => {
    expect(detectByMagic(0xfff0c101)).toEqual({ kind: 'unsupported', displayName: 'ESP8266' })
    expect(chipByMagic(0xfff0c101)).toBeUndefined()
    expect(detectByMagic(0x12345678)).toEqual({ kind: 'unknown' })
  })

  it('takes GET_SECURITY_INFO chip ids only from chips whose ROM reports their own', () => {
    for (const chip of CHIPS) expect(chipBySecurityId(chip.imageChipId)).toBe(chip.detectedByMagic ? undefined : chip)
    expect(CHIPS.filter((chip) => chip.detectedByMagic).map((chip) => chip.name)).toEqual(['esp32', 'esp32s2'])
    // Beta and unknown ids.
    for (const id of [1, 3, 4, 6, 7, 99]) expect(chipBySecurityId(id)).toBeUndefined()
  })

  it('gives every chip detected by magic a magic word, and the ESP32 no security info', () => {
    for (const chip of CHIPS.filter((candidate) => candidate.detectedByMagic)) expect(chip.magicValues.length).toBeGreaterThan(0)
    expect(CHIPS.filter((chip) => !chip.romHasSecurityInfo).map((chip) => chip.name)).toEqual(['esp32'])
  })
})

interface ReferenceData {
  CHIP_NAME: string
  IMAGE_CHIP_ID: number
  BOOTLOADER_FLASH_OFFSET: number
  SPI_REG_BASE: number
  SPI_USR_OFFS: number
  SPI_USR1_OFFS: number
  SPI_USR2_OFFS: number
  SPI_MOSI_DLEN_OFFS: number
  SPI_MISO_DLEN_OFFS: number
  SPI_W0_OFFS: number
  MEMORY_MAP: Array<[number, number, string]>
  FLASH_FREQUENCY: Record<string, number>
  CHIP_DETECT_MAGIC_VALUE?: number[]
}

// Where esptool v5 (the model) and esptool-js 0.7.0 disagree, the definitions follow
// esptool: the C61's flash-mapped ranges moved to 0x42000000; the C2, H2 and H21 have flash
// clocks of their own (esptool-js inherits the ESP32's 80m/40m/26m/20m) and the C6 writes
// 80m as 0x0; the S31 has no magic word (esptool-js inherits the C5's, which name a C5);
// the C61 and P4 keep a magic word esptool 4.8 knew.
const DATA_DIFFERENCES: Record<string, readonly string[]> = {
  esp32c2: ['flashFrequencies'],
  esp32c6: ['flashFrequencies'],
  esp32c61: ['memoryMap', 'magicValues'],
  esp32h2: ['flashFrequencies'],
  esp32h21: ['flashFrequencies'],
  esp32p4: ['magicValues'],
  esp32s31: ['magicValues'],
}

describe.each(CHIPS.map((chip) => [chip.name, chip] as [string, ChipDef]))('%s data against esptool-js 0.7.0', (name, chip) => {
  const reference = (CHIP_DEFS as Record<string, ReferenceData>)[name] as ReferenceData
  const differs = (what: string) => DATA_DIFFERENCES[name]?.includes(what) === true

  it('has the same name, ids, bootloader offset and SPI registers', () => {
    expect(chip.displayName).toBe(reference.CHIP_NAME)
    expect(chip.imageChipId).toBe(reference.IMAGE_CHIP_ID)
    expect(chip.bootloaderOffset).toBe(reference.BOOTLOADER_FLASH_OFFSET)
    expect(chip.spi).toEqual({
      base: reference.SPI_REG_BASE,
      usr: reference.SPI_USR_OFFS,
      usr1: reference.SPI_USR1_OFFS,
      usr2: reference.SPI_USR2_OFFS,
      mosiDlen: reference.SPI_MOSI_DLEN_OFFS,
      misoDlen: reference.SPI_MISO_DLEN_OFFS,
      w0: reference.SPI_W0_OFFS,
    })
  })

  it('has the same memory map, flash frequencies and magic words, except where esptool differs', () => {
    const map = chip.memoryMap.map((region) => [region.start, region.end, region.name])
    if (differs('memoryMap')) expect(map).not.toEqual(reference.MEMORY_MAP)
    else expect(map).toEqual(reference.MEMORY_MAP)
    if (differs('flashFrequencies')) expect(chip.flashFrequencies).not.toEqual(reference.FLASH_FREQUENCY)
    else expect(chip.flashFrequencies).toEqual(reference.FLASH_FREQUENCY)
    if (reference.CHIP_DETECT_MAGIC_VALUE && !differs('magicValues')) expect(chip.magicValues).toEqual(reference.CHIP_DETECT_MAGIC_VALUE)
  })
})
