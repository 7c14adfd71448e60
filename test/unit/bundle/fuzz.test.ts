// Seeded fuzzing of the bundle readers: merged-image splitting and flasher_args.json,
// and validation of whatever they produce.
import { describe, expect, it } from 'vitest'
import { parseFlasherArgs, splitMergedImage, validateBundle } from '../../../src/common/bundle'
import { fixture } from '../app-image/fixtures'
import { mutate, randomBytes, seededRandom, typedOutcome } from '../app-image/fuzz-support'
import { esp32Build, flasherArgsJson } from './build-fixtures'

describe('bundle fuzz (seeded)', () => {
  it('splits mutated merged images and validates the result', () => {
    const source = fixture('merged/merged_target1000.bin')
    const rng = seededRandom(0xb0b)
    for (let round = 0; round < 60; round++) {
      const bytes = mutate(rng, source)
      const bundle = splitMergedImage(bytes, rng.next() < 0.3 ? { chip: 'esp32' } : {})
      // Parts are views of the input: together never more than it.
      expect(bundle.parts.reduce((sum, part) => sum + part.bytes.length, 0)).toBeLessThanOrEqual(bytes.length)
      const report = typedOutcome(() => validateBundle(bundle))
      expect(Array.isArray((report as { problems: unknown[] }).problems)).toBe(true)
    }
  })

  it('splits random bytes, some dressed as a bootloader', () => {
    const rng = seededRandom(0xfeed)
    for (let round = 0; round < 100; round++) {
      const bytes = randomBytes(rng, rng.int(0x3000))
      if (round % 2 === 0 && bytes.length > 0x1000) bytes[0x1000] = 0xe9
      if (round % 3 === 0 && bytes.length > 0x8001) { bytes[0x8000] = 0xaa; bytes[0x8001] = 0x50 }
      validateBundle(splitMergedImage(bytes))
    }
  })

  it('reads mutated flasher_args.json without throwing', () => {
    const source = new TextEncoder().encode(flasherArgsJson('dash', esp32Build()))
    const rng = seededRandom(0xa7a)
    for (let round = 0; round < 200; round++) {
      const args = parseFlasherArgs(new TextDecoder().decode(mutate(rng, source)))
      expect(args.files.length).toBeLessThanOrEqual(3)
    }
    for (const json of ['null', '[]', '"x"', '{"flash_files": []}', '{"flash_files": {"0x0": 5}}', '{"flash_settings": 3, "flash_files": {}}']) {
      expect(parseFlasherArgs(json).files).toEqual([])
    }
  })
})
