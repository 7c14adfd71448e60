// The project's shared fixture set (../shared/fixtures next to the repository): our copies
// must equal it, and the two full-size merged images in it must split and validate.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseImage } from '../../../src/common/app-image'
import { splitMergedImage, validateBundle } from '../../../src/common/bundle'
import { FIXTURES } from '../app-image/fixtures'

const SHARED = path.resolve(FIXTURES, '../../../shared/fixtures')
const read = (file: string) => new Uint8Array(readFileSync(file))

describe('shared fixtures', () => {
  it('are present next to the repository', () => {
    expect(existsSync(SHARED)).toBe(true)
  })

  it.each(['images', 'partition-tables', 'merged'])('our copies in test/fixtures/%s are identical to the shared ones', (folder) => {
    const ours = readdirSync(path.join(FIXTURES, folder)).filter((name) => /\.(bin|csv)$/.test(name))
    expect(ours.length).toBeGreaterThan(0)
    for (const name of ours) expect(Buffer.compare(read(path.join(FIXTURES, folder, name)), read(path.join(SHARED, folder, name))), name).toBe(0)
  })

  it('merged_keep.bin splits into the three inputs, unchanged', () => {
    const bundle = splitMergedImage(read(path.join(SHARED, 'merged/merged_keep.bin')))
    const inputs = [
      read(path.join(FIXTURES, 'images/bootloader_esp32_v5_2.bin')),
      read(path.join(FIXTURES, 'partition-tables/partitions_singleapp.bin')),
      read(path.join(FIXTURES, 'images/hello-world-signed.bin')),
    ]
    expect(bundle.parts.map((part) => Buffer.from(part.bytes).toString('hex'))).toEqual(inputs.map((bytes) => Buffer.from(bytes).toString('hex')))
    expect(validateBundle(bundle).ok).toBe(true)
  })

  it('merged_dio_4MB_40m.bin carries a re-hashed bootloader with the new flash settings', () => {
    const bundle = splitMergedImage(read(path.join(SHARED, 'merged/merged_dio_4MB_40m.bin')))
    expect(bundle.flash).toEqual({ mode: 'dio', size: '4MB', freq: '40m' })
    const bootloader = parseImage(bundle.parts[0]?.bytes ?? new Uint8Array())
    expect(bootloader.problems).toEqual([])
    expect(bootloader.digest?.valid).toBe(true)
    const report = validateBundle(bundle)
    expect(report).toMatchObject({ ok: true, chip: 'esp32', flashSize: 4 * 1024 * 1024 })
  })
})
