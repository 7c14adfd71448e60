// The demo firmware PairKit makes for its virtual lab: every part parses back with the
// project's own readers, its checksums and digests hold (checked against node:crypto's
// SHA-256 too), flash-mapped segments sit where the MMU can map them, and the folder reads
// as a valid bundle for the chip.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { checkImageForChip, parseImage, type ImageInfo } from '../../../src/common/app-image'
import { parseFlasherArgs, validateBundle } from '../../../src/common/bundle'
import { chipByName } from '../../../src/common/esp/chips'
import {
  demoAppImage, demoBootloaderImage, demoBuildFiles, demoBundle, demoPartitionTable, DEMO_CHIPS, DEMO_FILES,
} from '../../../src/common/demo-firmware'
import { decodePartitionTable, validatePartitionTable } from '../../../src/common/partition-table'

/** The XOR checksum and SHA-256 computed here, independently of parseImage. */
function independentCheck(image: Uint8Array, info: ImageInfo): void {
  let checksum = 0xef
  for (const segment of info.segments) {
    const start = segment.fileOffset + 8
    for (let i = start; i < start + segment.length; i++) checksum ^= image[i] as number
  }
  const checksumAt = info.imageLength - 33
  expect(image[checksumAt]).toBe(checksum)
  expect(checksumAt % 16).toBe(15)
  const digest = createHash('sha256').update(image.subarray(0, checksumAt + 1)).digest('hex')
  expect(Buffer.from(image.subarray(checksumAt + 1, checksumAt + 33)).toString('hex')).toBe(digest)
  expect(info.imageLength).toBe(image.length)
}

describe.each(DEMO_CHIPS)('demo firmware for %s', (chip) => {
  it('has a second-stage bootloader image with a descriptor, valid checksum and SHA-256', () => {
    const image = demoBootloaderImage({ chip })
    const info = parseImage(image)
    expect(info.problems).toEqual([])
    expect(info.header.chip).toBe(chip)
    expect(info.header.hashAppended).toBe(true)
    expect(info.checksum?.valid).toBe(true)
    expect(info.digest?.valid).toBe(true)
    expect(info.kind).toBe('bootloader')
    expect(info.flashMapped).toBe(false)
    expect(info.bootloaderDescriptor?.idfVersion).toMatch(/^v5\.4/)
    expect(info.segments.map((segment) => segment.memoryTypes.some((type) => type === 'DRAM' || type === 'IRAM'))).toEqual([true, true])
    expect(checkImageForChip(info.header, { chip, revision: 0 })).toEqual([])
    independentCheck(image, info)
  })

  it('has a serverless_mqtt app image whose segments load where a build puts them', () => {
    const image = demoAppImage({ chip })
    const info = parseImage(image)
    expect(info.problems).toEqual([])
    expect(info.kind).toBe('app')
    expect(info.appDescriptor).toMatchObject({ projectName: 'serverless_mqtt', version: 'pairkit-demo-1', mmuPageSizeLog2: 16 })
    expect(info.appDescriptor?.elfSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(info.checksum?.valid).toBe(true)
    expect(info.digest?.valid).toBe(true)
    expect(info.header).toMatchObject({ chip, flashMode: 'DIO', flashSize: '4MB', flashFreq: '80m' })
    expect(checkImageForChip(info.header, { chip, revision: 0 })).toEqual([])
    const types = info.segments.map((segment) => segment.memoryTypes)
    expect(types[0]).toContain('DROM')
    expect(types.flat()).toEqual(expect.arrayContaining(['DROM', 'DRAM', 'IROM', 'IRAM']))
    // The bootloader maps 64 KiB flash pages: a mapped segment's data must sit at the same
    // offset within its page as its load address within its own.
    for (const segment of info.segments.filter((candidate) => candidate.memoryTypes.includes('IROM') || candidate.memoryTypes.includes('DROM'))) {
      expect((segment.fileOffset + 8) % 0x10000).toBe(segment.loadAddress % 0x10000)
    }
    // The entry point lies in the IRAM segment.
    const iram = info.segments.find((segment) => segment.memoryTypes.includes('IRAM') && !segment.memoryTypes.includes('IROM'))
    expect(iram).toBeDefined()
    expect(info.header.entryPoint).toBeGreaterThanOrEqual(iram?.loadAddress ?? Infinity)
    expect(info.header.entryPoint).toBeLessThan((iram?.loadAddress ?? 0) + (iram?.length ?? 0))
    independentCheck(image, info)
  })

  it('reads back as a valid bundle: bootloader where the chip looks, the table at 0x8000, the app in its partition', () => {
    const bundle = demoBundle({ chip })
    const report = validateBundle(bundle)
    expect(report.problems).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.chip).toBe(chip)
    expect(report.flashSize).toBe(4 << 20)
    const offsets = Object.fromEntries(bundle.parts.map((part) => [part.kind, part.offset]))
    expect(offsets).toEqual({ bootloader: chipByName(chip)?.bootloaderOffset, 'partition-table': 0x8000, app: 0x10000 })
    // Also against a device of the same chip and size, as the flasher checks before writing.
    expect(validateBundle(bundle, { chip, flashSize: 4 << 20 }).problems).toEqual([])
    expect(validateBundle(bundle, { chip: chip === 'esp32' ? 'esp32c3' : 'esp32', flashSize: 4 << 20 }).ok).toBe(false)
  })

  it('writes flasher_args.json as ESP-IDF does, naming each image', () => {
    const files = demoBuildFiles({ chip })
    const args = parseFlasherArgs(new TextDecoder().decode(files[DEMO_FILES.flasherArgs]))
    expect(args.problems).toEqual([])
    expect(args.chip).toBe(chip)
    expect(args.flash).toEqual({ mode: 'dio', size: '4MB', freq: '80m' })
    expect(args.files.map((file) => [file.name, file.kind, file.path])).toEqual([
      ['bootloader', 'bootloader', 'bootloader/bootloader.bin'],
      ['partition-table', 'partition-table', 'partition_table/partition-table.bin'],
      ['app', 'app', 'serverless_mqtt.bin'],
    ])
    for (const file of args.files) expect(files[file.path]).toBeDefined()
  })
})

describe('demo partition table', () => {
  it('decodes with a valid MD5 row and an nvs partition for the settings', () => {
    const table = decodePartitionTable(demoPartitionTable())
    expect(table.problems).toEqual([])
    expect(table.md5).toEqual({ present: true, valid: true })
    expect(table.terminated).toBe(true)
    expect(validatePartitionTable(table.entries, { flashSize: 4 << 20 }).filter((problem) => problem.severity === 'error')).toEqual([])
    expect(table.entries.map((entry) => [entry.name, entry.type, entry.subtype, entry.offset, entry.size])).toEqual([
      ['nvs', 1, 2, 0x9000, 0x6000],
      ['phy_init', 1, 1, 0xf000, 0x1000],
      ['factory', 0, 0, 0x10000, 0x100000],
    ])
  })
})

describe('demo firmware', () => {
  it('is the same bytes every time, so its SHA-256 names it', () => {
    expect(demoAppImage({ chip: 'esp32s3' })).toEqual(demoAppImage({ chip: 'esp32s3' }))
    expect(demoAppImage({ chip: 'esp32s3' })).not.toEqual(demoAppImage({ chip: 'esp32c3' }))
  })

  it('refuses a chip the twin does not emulate, saying which it can make', () => {
    expect(() => demoAppImage({ chip: 'esp32h2' })).toThrow(/no demo firmware for esp32h2/)
    expect(() => demoAppImage({ chip: 'esp32s3', version: 'x'.repeat(40) })).toThrow(/longer than the 31 bytes/)
  })
})
