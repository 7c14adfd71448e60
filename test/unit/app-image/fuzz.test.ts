// Seeded fuzzing of the image parser: any bytes give a result with problems or a
// PairKitError, quickly, with output bounded by the input.
import { describe, expect, it } from 'vitest'
import { decodeAppDescriptor, decodeBootloaderDescriptor, formatImage, parseImage, type ImageInfo } from '../../../src/common/app-image'
import { PairKitError } from '../../../src/common/errors'
import { IMAGE_NAMES, fixture } from './fixtures'
import { mutate, randomBytes, seededRandom, typedOutcome } from './fuzz-support'

function checkInfo(bytes: Uint8Array, outcome: ImageInfo | PairKitError): void {
  if (outcome instanceof PairKitError) return
  expect(outcome.segments.length).toBeLessThanOrEqual(255)
  for (const segment of outcome.segments) expect(segment.fileOffset + 8 + segment.length).toBeLessThanOrEqual(bytes.length)
  expect(outcome.imageLength).toBeLessThanOrEqual(bytes.length)
  for (const problem of outcome.problems) expect(problem.message).toMatch(/\S/)
  expect(typeof formatImage(outcome)).toBe('string')
}

describe('image parser fuzz (seeded)', () => {
  it('survives random bytes, with and without the image magic', () => {
    const rng = seededRandom(0x1a6e)
    for (let round = 0; round < 300; round++) {
      const bytes = randomBytes(rng, rng.int(2048))
      if (bytes.length > 0 && round % 2 === 0) bytes[0] = 0xe9
      if (bytes.length > 1 && round % 4 === 0) bytes[1] = rng.int(20)
      checkInfo(bytes, typedOutcome(() => parseImage(bytes)))
      typedOutcome(() => [decodeAppDescriptor(bytes), decodeBootloaderDescriptor(bytes)])
    }
  })

  it.each(IMAGE_NAMES)('survives flipped, truncated and extended copies of %s', (name) => {
    const source = fixture(`images/${name}.bin`)
    const rng = seededRandom(name.length * 7919)
    let problemsSeen = 0
    for (let round = 0; round < 40; round++) {
      const bytes = mutate(rng, source)
      const outcome = typedOutcome(() => parseImage(bytes))
      checkInfo(bytes, outcome)
      if (!(outcome instanceof PairKitError) && outcome.problems.length > 0) problemsSeen++
    }
    // The mutations do reach the checks, not only the magic test.
    expect(problemsSeen).toBeGreaterThan(0)
  })

  it('does not allocate for a segment that claims 4 GiB', () => {
    const bytes = fixture('images/helloworld-esp32c3.bin')
    new DataView(bytes.buffer).setUint32(24 + 4, 0xffffffff, true)
    const info = parseImage(bytes)
    expect(info.problems[0]?.message).toMatch(/^segment 0 runs past the end of the file: 4294967295 bytes at 0x20/)
  })
})
