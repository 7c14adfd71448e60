import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  badOffsetInArg, bundleFromFlasherArgs, classifyPart, markRawParts, parseFlashOffset, parseFlasherArgs, parseOffsetFileArg, splitMergedImage,
  validateBundle, type Bundle,
} from '../../../src/common/bundle'
import { seededRandom } from '../../../src/common/seeded-random'
import { fixture } from '../app-image/fixtures'
import { esp32Build, flasherArgsJson } from './build-fixtures'

/** merge_bin's raw layout: a 0xFF canvas, each file at its offset, ending at the last file. */
function merge(parts: [number, Uint8Array][], targetOffset = 0): Uint8Array {
  const end = Math.max(...parts.map(([offset, bytes]) => offset + bytes.length))
  const out = new Uint8Array(end - targetOffset).fill(0xff)
  for (const [offset, bytes] of parts) out.set(bytes, offset - targetOffset)
  return out
}

const md5hex = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex')
const codes = (bundle: Bundle, options = {}) => validateBundle(bundle, options).problems.map((p) => p.code)

describe('flasher_args.json', () => {
  it.each(['flash_files only', 'named'] as const)('takes an NVS image the build flashes with the project (listed %s) as data', (listing) => {
    const layout = esp32Build()
    // esp_idf_sample_val.bin: a 0x6000 image from ESP-IDF's own generator; its first byte is not an image's 0xE9.
    const files: Record<string, Uint8Array> = { ...layout.files, 'nvs.bin': fixture('nvs/esp_idf_sample_val.bin') }
    const bundle = bundleFromFlasherArgs(flasherArgsJson('dash', layout, { nvs: listing }), (file) => files[file], 'build')
    expect(bundle.parts.map((part) => [part.offset, part.kind])).toEqual([[0x1000, 'bootloader'], [0x8000, 'partition-table'], [0x9000, 'data'], [0x10000, 'app']])
    expect(validateBundle(bundle).problems).toEqual([])
  })

  it.each(['underscore', 'dash'] as const)('reads the %s spelling', (spelling) => {
    const args = parseFlasherArgs(flasherArgsJson(spelling, esp32Build()))
    expect(args.problems).toEqual([])
    expect(args.chip).toBe('esp32')
    expect(args.flash).toEqual({ mode: 'dio', size: '2MB', freq: '40m' })
    expect(args.files.map((f) => [f.offset, f.path, f.name, f.kind])).toEqual([
      [0x1000, 'bootloader/bootloader.bin', 'bootloader', 'bootloader'],
      [0x8000, 'partition_table/partition-table.bin', 'partition-table', 'partition-table'],
      [0x10000, 'hello-world.bin', 'app', 'app'],
    ])
  })

  it('falls back to write_flash_args when flash_settings is absent', () => {
    const json = JSON.parse(flasherArgsJson('dash', esp32Build(), { flashSize: '4MB' }))
    delete json.flash_settings
    expect(parseFlasherArgs(JSON.stringify(json)).flash).toEqual({ mode: 'dio', size: '4MB', freq: '40m' })
  })

  it('reports broken files as problems', () => {
    expect(parseFlasherArgs('{').problems[0]?.message).toMatch(/^flasher_args.json: not valid JSON/)
    expect(parseFlasherArgs('{"flash_settings": {}}').problems[0]?.message).toBe('flasher_args.json: it has no "flash_files" object')
    expect(parseFlasherArgs('{"flash_files": {"zero": "x.bin"}}').problems).toHaveLength(1)
  })

  it('lists a file the build names but does not have', () => {
    const layout = esp32Build()
    const bundle = bundleFromFlasherArgs(flasherArgsJson('underscore', layout), (p) => (p === 'hello-world.bin' ? undefined : layout.files[p]), 'build')
    expect(bundle.problems).toEqual([expect.objectContaining({ code: 'FILE_MISSING', message: 'hello-world.bin (for 0x10000) is missing from the build' })])
    expect(validateBundle(bundle).ok).toBe(false)
  })
})

describe('merged images', () => {
  const bootloader = fixture('images/bootloader_esp32_v5_2.bin')
  const table = fixture('partition-tables/partitions_singleapp.bin')
  const app = fixture('images/hello-world-signed.bin')
  const keep = merge([[0x1000, bootloader], [0x8000, table], [0x10000, app]])

  it('rebuilds esptool\'s merged_keep.bin byte for byte', () => {
    expect(md5hex(keep)).toBe('81084cbaa43a18a5867fe1da01a6c53d')
  })

  it('finds bootloader, table and app by structure', () => {
    const bundle = splitMergedImage(keep)
    expect(bundle.chip).toBe('esp32')
    expect(bundle.partitionTableOffset).toBe(0x8000)
    expect(bundle.parts.map((p) => [p.offset, p.kind, p.name, p.bytes.length])).toEqual([
      [0x1000, 'bootloader', 'bootloader', bootloader.length],
      [0x8000, 'partition-table', 'partition-table', 0xc00],
      [0x10000, 'app', 'factory', app.length],
    ])
    expect(bundle.parts.map((p) => md5hex(p.bytes))).toEqual([md5hex(bootloader), md5hex(table), md5hex(app)])
    const report = validateBundle(bundle)
    expect(report.problems).toEqual([])
    expect(report.ok).toBe(true)
  })

  it('finds the flash address of an image merged with --target-offset 0x1000', () => {
    const bytes = fixture('merged/merged_target1000.bin')
    expect(md5hex(bytes)).toBe(md5hex(keep.subarray(0x1000, 0x8c00)))
    const bundle = splitMergedImage(bytes)
    expect(bundle.parts.map((p) => [p.offset, p.kind])).toEqual([[0x1000, 'bootloader'], [0x8000, 'partition-table']])
    expect(validateBundle(bundle).ok).toBe(true)
  })

  it('finds a table moved to 0x9000 and data partitions with content', () => {
    const csvTable = fixture('partition-tables/partitions_two_ota.bin')
    const nvs = new Uint8Array(0x1000).fill(0x11)
    const bytes = merge([[0x1000, bootloader], [0x8000, csvTable], [0x9000, nvs], [0x10000, app]])
    const bundle = splitMergedImage(bytes)
    expect(bundle.parts.map((p) => [p.offset, p.kind, p.name])).toEqual([
      [0x1000, 'bootloader', 'bootloader'], [0x8000, 'partition-table', 'partition-table'], [0x9000, 'data', 'nvs'], [0x10000, 'app', 'factory'],
    ])
  })

  it('says a lone app image is not a merged image', () => {
    const bundle = splitMergedImage(fixture('images/esp_idf_blink_esp32s2.bin'), { source: 'blink.bin' })
    expect(bundle.problems[0]?.message).toBe('blink.bin is a single app image, not a merged flash image; give its flash offset, e.g. 0x10000=blink.bin')
  })

  it('says random bytes are not a merged image', () => {
    expect(splitMergedImage(new Uint8Array(0x3000).fill(0x42)).problems[0]?.code).toBe('NOT_MERGED')
  })

  it('warns about data outside every part', () => {
    const stray = merge([[0x1000, bootloader], [0x8000, table], [0x10000, app], [0x200000, new Uint8Array([1, 2, 3])]])
    expect(codes(splitMergedImage(stray))).toEqual(['UNACCOUNTED_BYTES'])
  })
})

describe('validateBundle', () => {
  const part = (offset: number, name: string, bytes: Uint8Array, kind: Bundle['parts'][number]['kind']) => ({ offset, name, bytes, kind })
  const good = (): Bundle => ({
    source: 'test', chip: 'esp32', flash: { size: '4MB' }, problems: [],
    parts: [
      part(0x1000, 'bootloader.bin', fixture('images/bootloader_esp32_v5_2.bin'), 'bootloader'),
      part(0x8000, 'partition-table.bin', fixture('partition-tables/partitions_singleapp.bin'), 'partition-table'),
      part(0x10000, 'app.bin', fixture('images/hello-world-signed.bin'), 'app'),
    ],
  })

  it('accepts a good ESP32 bundle', () => {
    const report = validateBundle(good())
    expect(report).toMatchObject({ ok: true, chip: 'esp32', flashSize: 4 * 1024 * 1024, problems: [] })
    expect(report.images.map((i) => i.info.kind)).toEqual(['bootloader', 'app'])
  })

  it('refuses two parts in one 4 KiB sector', () => {
    const bundle = good()
    bundle.parts.push(part(0x7000, 'extra.bin', new Uint8Array(0x1001), 'data'))
    const report = validateBundle(bundle)
    expect(report.problems.filter((p) => p.code === 'SECTOR_OVERLAP').map((p) => p.message)).toEqual([
      'bootloader.bin (0x1000–0x788f) and extra.bin (at 0x7000) share a 4 KiB sector; writing one would erase part of the other',
      'extra.bin (0x7000–0x8000) and partition-table.bin (at 0x8000) share a 4 KiB sector; writing one would erase part of the other',
    ])
    expect(report.ok).toBe(false)
  })

  it('refuses images for another chip, naming both', () => {
    const report = validateBundle(good(), { chip: 'esp32s3' })
    expect(report.problems.filter((p) => p.code === 'CHIP_MISMATCH').map((p) => p.message)).toEqual([
      'bootloader.bin: built for esp32, the device is an esp32s3',
      'app.bin: built for esp32, the device is an esp32s3',
    ])
    expect(report.problems.map((p) => p.code)).toContain('BOOTLOADER_OFFSET')
  })

  it('refuses an app larger than its partition', () => {
    const bundle = good()
    const big = new Uint8Array(0x100001)
    big.set(fixture('images/hello-world-signed.bin'))
    ;(bundle.parts[2] as { bytes: Uint8Array }).bytes = big
    const problem = validateBundle(bundle).problems.find((p) => p.code === 'TOO_LARGE_FOR_PARTITION')
    expect(problem?.message).toBe('app.bin (1048577 bytes) does not fit partition "factory" (1048576 bytes from 0x10000); it is 1 bytes too large')
  })

  it('refuses an app where no partition starts', () => {
    const bundle = good()
    ;(bundle.parts[2] as { offset: number }).offset = 0x200000
    expect(codes(bundle)).toEqual(['NO_PARTITION'])
  })

  it('refuses a bundle larger than the flash', () => {
    expect(codes(good(), { flashSize: 0x20000 })).toEqual(['TOO_LARGE_FOR_FLASH', 'BAD_PARTITION_TABLE'])
  })

  it('refuses a damaged image', () => {
    const bundle = good()
    const app = bundle.parts[2] as { bytes: Uint8Array }
    app.bytes = app.bytes.slice()
    app.bytes[0x100] = (app.bytes[0x100] as number) ^ 0xff
    const problems = validateBundle(bundle).problems
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^app.bin: checksum mismatch: stored 0x30, computed 0x[0-9a-f]{2}$/),
      expect.stringMatching(/^app.bin: SHA-256 mismatch/),
    ])
  })

  it('refuses an app where the bootloader goes, and a bootloader or RAM image as the app', () => {
    const swapped = good()
    ;(swapped.parts[0] as { bytes: Uint8Array }).bytes = fixture('images/hello-world-signed.bin')
    ;(swapped.parts[2] as { bytes: Uint8Array }).bytes = fixture('images/bootloader_esp32.bin')
    expect(validateBundle(swapped).problems.filter((p) => p.code === 'BAD_IMAGE').map((p) => p.message)).toEqual([
      'bootloader.bin: this is an app image (hello-world), not a bootloader',
      'app.bin: this image has no code mapped from flash: it is a bootloader or RAM-only image, not an app',
    ])
    const v52 = good()
    ;(v52.parts[2] as { bytes: Uint8Array }).bytes = fixture('images/bootloader_esp32_v5_2.bin')
    expect(validateBundle(v52).problems.map((p) => p.message)).toEqual(['app.bin: this is a bootloader image, not an app'])
  })

  const text = new TextEncoder().encode('# PairKit\n\nInstall, flash and configure pairs of bridges.\n')
  const errors = (bundle: Bundle) => validateBundle(bundle).problems.filter((p) => p.severity === 'error').map((p) => `${p.code}: ${p.message}`)

  it('refuses a file that is not an app image where the app partition starts, unless it is marked raw', () => {
    const bundle = good()
    bundle.parts[2] = part(0x10000, 'README.md', text, 'data')
    expect(errors(bundle)).toEqual([
      'NOT_AN_APP_IMAGE: 0x10000 README.md is not an ESP app image (its first byte is 0x23, an image starts with 0xE9): pick the app .bin from the build folder, or write it as raw data',
    ])
    expect(markRawParts(bundle, [0x10000, 0x20000])).toEqual([0x20000])
    expect(bundle.parts[2]).toMatchObject({ kind: 'data', raw: true })
    expect(validateBundle(bundle)).toMatchObject({ ok: true, problems: [] })
  })

  it('refuses a file that is not a partition table where the bootloader reads the table, unless it is marked raw', () => {
    const random = seededRandom(15)
    const noise = Uint8Array.from({ length: 0xc00 }, () => Math.floor(random() * 256))
    noise[0] = 0x3c // not the 0xAA of a table row, whatever the seed gives
    const bundle = good()
    bundle.parts[1] = part(0x8000, 'noise.bin', noise, classifyPart(noise, 0x8000))
    expect(errors(bundle)).toEqual([
      expect.stringMatching(/^NOT_A_PARTITION_TABLE: 0x8000 noise.bin is not a partition table \(its first bytes are 0x3C 0x[0-9A-F]{2}, a table starts with 0xAA 0x50\): pick partition-table.bin from the build folder \(build\/partition_table\/\), or write it as raw data$/),
    ])
    markRawParts(bundle, [0x8000])
    expect(validateBundle(bundle).ok).toBe(true)
  })

  it('reads the app offsets from the bundle\'s table: every app partition must start with an image', () => {
    const twoOta = (extra: Bundle['parts'][number]): Bundle => ({
      source: 'test', chip: 'esp32', flash: { size: '4MB' }, problems: [],
      parts: [
        part(0x1000, 'bootloader.bin', fixture('images/bootloader_esp32_v5_2.bin'), 'bootloader'),
        part(0x8000, 'partition-table.bin', fixture('partition-tables/partitions_two_ota.bin'), 'partition-table'),
        part(0x10000, 'app.bin', fixture('images/hello-world-signed.bin'), 'app'),
        extra,
      ],
    })
    expect(errors(twoOta(part(0x210000, 'notes.txt', text, 'data')))).toEqual([expect.stringMatching(/^NOT_AN_APP_IMAGE: 0x210000 notes.txt is not an ESP app image/)])
    expect(errors(twoOta(part(0x110000, 'ota_0.bin', fixture('images/hello-world-signed.bin'), 'data')))).toEqual([])
    // Another chip's app in an OTA slot is refused like any other app.
    expect(errors(twoOta(part(0x110000, 'ota_0.bin', fixture('images/helloworld-esp32c3.bin'), 'app')))).toContain('CHIP_MISMATCH: ota_0.bin: built for esp32c3, the device is an esp32')
  })

  it('keeps accepting NVS data at the nvs partition and a table at a moved offset', () => {
    const bundle = good()
    bundle.parts.push(part(0x9000, 'nvs.bin', fixture('nvs/basic.bin'), 'data'))
    expect(validateBundle(bundle)).toMatchObject({ ok: true, problems: [] })
    const moved = good()
    moved.parts[1] = part(0x9000, 'partition-table.bin', fixture('partition-tables/custom.bin'), 'partition-table')
    expect(errors(moved).filter((message) => /NOT_A|NOT_AN/.test(message))).toEqual([])
  })

  it('refuses an empty app part without a table (0x10000 is where the factory app goes)', () => {
    const bundle: Bundle = { source: 'x', chip: 'esp32', flash: {}, problems: [], parts: [part(0x10000, 'empty.bin', new Uint8Array(0), 'data')] }
    expect(errors(bundle)).toEqual([expect.stringContaining('0x10000 empty.bin is not an ESP app image (it is empty, an image starts with 0xE9)')])
  })

  it('asks for the chip when nothing tells it and an image needs one', () => {
    const bundle: Bundle = { source: 'x', flash: {}, problems: [], parts: [part(0x10000, 'app.bin', fixture('images/hello-world-signed.bin'), 'app')] }
    bundle.parts[0]!.bytes = bundle.parts[0]!.bytes.slice()
    bundle.parts[0]!.bytes[12] = 0xee // chip id: none PairKit knows, so the image does not tell either
    expect(validateBundle(bundle).problems.map((p) => p.message)).toContain('the target chip is unknown')
  })

  it('needs no chip for data alone (an NVS image at the nvs partition)', () => {
    const bundle: Bundle = { source: 'x', flash: {}, problems: [], parts: [part(0x9000, 'nvs.bin', new Uint8Array(0x6000).fill(0xff), 'data')] }
    expect(validateBundle(bundle).problems).toEqual([])
    expect(validateBundle({ ...bundle, chip: 'esp99' }).problems.map((p) => p.code)).toEqual(['NO_CHIP'])
  })
})

describe('OFFSET=FILE arguments', () => {
  it('parses offsets and pairs', () => {
    expect(parseFlashOffset('0x10000')).toBe(0x10000)
    expect(parseFlashOffset('64K')).toBe(0x10000)
    expect(parseFlashOffset('4096')).toBe(4096)
    expect(parseFlashOffset('0x100000000')).toBeUndefined()
    expect(parseOffsetFileArg('0x8000=build/pt.bin')).toEqual({ offset: 0x8000, path: 'build/pt.bin' })
    expect(parseOffsetFileArg('build/app.bin')).toBeUndefined()
    expect(parseOffsetFileArg('0x8000=')).toBeUndefined()
    expect(badOffsetInArg('0xZZ=app.bin')).toBe('0xZZ is not a flash offset: write it in hex or decimal, e.g. 0x10000=app.bin')
    expect([badOffsetInArg('0x8000=pt.bin'), badOffsetInArg('build/app.bin'), badOffsetInArg('=x')]).toEqual([undefined, undefined, undefined])
  })

  it('classifies parts by content and offset', () => {
    expect(classifyPart(fixture('partition-tables/custom.bin'), 0x8000)).toBe('partition-table')
    expect(classifyPart(fixture('images/bootloader_esp32c3.bin'), 0x0, 'esp32c3')).toBe('bootloader')
    expect(classifyPart(fixture('images/bootloader_esp32.bin'), 0x1000)).toBe('bootloader')
    expect(classifyPart(fixture('images/esp_idf_blink_esp32s2.bin'), 0x10000)).toBe('app')
    expect(classifyPart(new Uint8Array(0x2000), 0x9000)).toBe('data')
  })
})
