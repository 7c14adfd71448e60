import { describe, expect, it } from 'vitest'
import { chipById } from '../../../src/common/esp/chips'
import { checkImageForChip, decodeAppDescriptor, formatImage, formatRevision, parseImage, throwIfImageInvalid } from '../../../src/common/app-image'
import { PairKitError } from '../../../src/common/errors'
import { parseEsptoolImageInfo } from './esptool-image-info'
import { IMAGE_NAMES, fixture, fixtureText } from './fixtures'

describe('parseImage agrees with esptool image_info', () => {
  it.each(IMAGE_NAMES)('%s', (name) => {
    const bytes = fixture(`images/${name}.bin`)
    const expected = parseEsptoolImageInfo(fixtureText(`images/expected/${name}.txt`))
    const info = parseImage(bytes)
    const { header } = info

    expect(info.fileLength).toBe(expected.fileSize)
    expect(header.entryPoint).toBe(expected.entryPoint)
    expect(header.segmentCount).toBe(expected.segmentCount)
    expect(header.flashSize).toBe(expected.flashSize)
    expect(header.flashFreq).toBe(expected.flashFreq)
    expect(header.flashMode).toBe(expected.flashMode)
    expect(header.wpPin).toBe(expected.wpPin)
    expect(header.pinDrive).toEqual({ clk: expected.pinDrive.clk, q: expected.pinDrive.q, d: expected.pinDrive.d, cs0: expected.pinDrive.cs0, hd: expected.pinDrive.hd, wp: expected.pinDrive.wp })
    expect(header.chipId).toBe(expected.chipId)
    expect(chipById(header.chipId)?.displayName).toBe(fixtureText(`images/expected/${name}.txt`).match(/Chip ID: \d+ \((.*)\)/)?.[1])
    expect(formatRevision(header.minRevFull)).toBe(expected.minRev)
    expect(header.minRevLegacy).toBe(expected.legacyMinRev)
    expect(formatRevision(header.maxRevFull)).toBe(expected.maxRev)

    expect(info.segments.map((s) => ({ index: s.index, length: s.length, loadAddress: s.loadAddress, fileOffset: s.fileOffset, memoryTypes: s.memoryTypes })))
      .toEqual(expected.segments)

    expect(info.checksum).toEqual({ stored: expected.checksum.value, computed: expected.checksum.value, valid: expected.checksum.valid })
    if (expected.hash) expect(info.digest).toEqual({ stored: expected.hash.value, computed: expected.hash.value, valid: true })
    else expect(info.digest).toBeUndefined()

    if (expected.app) {
      const app = info.appDescriptor
      expect(info.kind).toBe('app')
      expect(app?.projectName).toBe(expected.app.projectName)
      expect(app?.version).toBe(expected.app.version)
      expect(`${app?.date} ${app?.time}`).toBe(expected.app.compileTime)
      expect(app?.elfSha256).toBe(expected.app.elfSha256)
      expect(app?.idfVersion).toBe(expected.app.idf)
      expect(app?.secureVersion).toBe(expected.app.secureVersion)
      const efuse = (full: number | undefined) => `${Math.floor((full ?? -1) / 100)}.${(full ?? -1) % 100}`
      expect(efuse(app?.minEfuseBlockRevision)).toBe(expected.app.minEfuse)
      expect(efuse(app?.maxEfuseBlockRevision)).toBe(expected.app.maxEfuse)
    } else {
      expect(info.appDescriptor).toBeUndefined()
    }
    if (expected.bootloader) {
      expect(info.kind).toBe('bootloader')
      expect(info.bootloaderDescriptor).toMatchObject({ version: expected.bootloader.version, idfVersion: expected.bootloader.idf, dateTime: expected.bootloader.compileTime })
    } else {
      expect(info.bootloaderDescriptor).toBeUndefined()
    }
    expect(info.problems).toEqual([])
  })

  it('keeps the 80-byte signature block of a signed image outside the image', () => {
    const info = parseImage(fixture('images/hello-world-signed.bin'))
    expect(info.imageLength).toBe(0x2ffb0)
    expect(info.trailingLength).toBe(80)
  })

  it('reads an app read back from its partition, with the erased rest after it', () => {
    const app = fixture('images/esp_idf_blink_esp32s2.bin')
    const partition = new Uint8Array(0x100000).fill(0xff)
    partition.set(app)
    const info = parseImage(partition)
    expect(info.problems).toEqual([])
    expect(info.imageLength).toBe(app.length)
    expect(info.trailingLength).toBe(0x100000 - app.length)
    // The first 0x120 bytes are enough for the descriptor alone.
    expect(decodeAppDescriptor(partition.subarray(0, 0x120))).toEqual(info.appDescriptor)
    expect(decodeAppDescriptor(partition.subarray(0, 0x11f))).toBeUndefined()
  })

  it('tells apps with flash-mapped code from RAM-only images', () => {
    expect(parseImage(fixture('images/esp_idf_blink_esp32s2.bin')).flashMapped).toBe(true)
    expect(parseImage(fixture('images/bootloader_esp32c3.bin')).flashMapped).toBe(false)
  })
})

describe('parseImage names the exact problem', () => {
  it('reports a checksum mismatch with both values', () => {
    const bytes = fixture('images/bootloader_esp32.bin')
    bytes[0x30] = (bytes[0x30] as number) ^ 0x5a
    const info = parseImage(bytes)
    expect(info.problems.map((p) => p.message)).toEqual(['checksum mismatch: stored 0x83, computed 0xd9'])
    expect(info.checksum?.valid).toBe(false)
  })

  it('reports a segment that runs past the end of a truncated file', () => {
    const bytes = fixture('images/esp_idf_blink_esp32s2.bin').slice(0, 0x20000)
    const info = parseImage(bytes)
    expect(info.segments).toHaveLength(3)
    expect(info.problems[0]?.code).toBe('SEGMENT_PAST_END')
    expect(info.problems[0]?.message).toMatch(/^segment 3 runs past the end of the file/)
    expect(info.checksum).toBeUndefined()
    // The descriptor is in segment 0, which is intact.
    expect(info.appDescriptor?.projectName).toBe('blink')
  })

  it('reports a digest mismatch after a header byte changes', () => {
    const bytes = fixture('images/helloworld-esp32c3.bin')
    bytes[3] = 0x20
    const info = parseImage(bytes)
    expect(info.checksum?.valid).toBe(true)
    expect(info.problems.map((p) => p.code)).toEqual(['DIGEST_MISMATCH'])
    expect(() => throwIfImageInvalid(info.problems)).toThrow(/SHA-256 mismatch/)
  })

  it('reports a missing digest', () => {
    const info = parseImage(fixture('images/helloworld-esp32c3.bin').slice(0, 100))
    expect(info.problems.map((p) => p.code)).toEqual(['DIGEST_MISSING'])
  })

  it('throws a typed error for something that is not an image', () => {
    expect(() => parseImage(new TextEncoder().encode('this is not a firmware image'))).toThrow(PairKitError)
    expect(() => parseImage(new Uint8Array(10))).toThrow(/shorter than the 24-byte image header/)
    expect(() => parseImage(new Uint8Array(64))).toThrow(/first byte is 0x00, an image starts with 0xe9/)
  })
})

describe('checkImageForChip', () => {
  const c3 = parseImage(fixture('images/bootloader_esp32c3.bin')).header

  it('accepts the chip the image was built for', () => {
    expect(checkImageForChip(c3, { chip: 'esp32c3' })).toEqual([])
    expect(checkImageForChip(c3, { chip: 'ESP32-C3', revision: 4 })).toEqual([])
  })

  it('names both chips when they differ', () => {
    const [problem] = checkImageForChip(c3, { chip: 'esp32s3' })
    expect(problem?.message).toBe('built for esp32c3, the device is an esp32s3')
    expect(() => throwIfImageInvalid(checkImageForChip(c3, { chip: 'esp32s3' }), 'bootloader.bin')).toThrow(expect.objectContaining({ code: 'IMAGE_CHIP_MISMATCH' }))
  })

  it('refuses a device newer than the image supports', () => {
    const esp32 = parseImage(fixture('images/bootloader_esp32_v5_2.bin')).header
    expect(checkImageForChip(esp32, { chip: 'esp32', revision: 301 })).toEqual([])
    expect(checkImageForChip(esp32, { chip: 'esp32', revision: 400 })[0]?.message).toBe('supports chip revisions up to v3.99, the device is v4.0')
  })
})

describe('formatImage', () => {
  it('summarises an app for a person', () => {
    const text = formatImage(parseImage(fixture('images/esp_idf_blink_esp32s2.bin')))
    expect(text).toContain('ESP32-S2 app image, 182368 bytes')
    expect(text).toContain('project: blink qa-test-v5.0-20220830-4-g4532e6')
    expect(text).toContain('checksum: 0x18 (valid)')
  })

  it('lists problems', () => {
    const bytes = fixture('images/bootloader_esp32.bin')
    bytes[0x30] = (bytes[0x30] as number) ^ 1
    expect(formatImage(parseImage(bytes))).toMatch(/problem: checksum mismatch/)
  })
})
