// Seeded fuzzing of the zip reader for firmware bundles.
import { zipSync } from 'fflate'
import { describe, it } from 'vitest'
import { readZipEntries } from '../../../src/main/bundle'
import { mutate, seededRandom, typedOutcome } from '../app-image/fuzz-support'
import { esp32Build, flasherArgsJson } from '../bundle/build-fixtures'

describe('bundle zip fuzz (seeded)', () => {
  it('reads mutated zips as files or a PairKitError', () => {
    const source = zipSync({ 'build/flasher_args.json': new TextEncoder().encode(flasherArgsJson('underscore', esp32Build())), 'build/a.bin': new Uint8Array(300).fill(7) })
    const rng = seededRandom(0x21b)
    for (let round = 0; round < 150; round++) {
      typedOutcome(() => readZipEntries(mutate(rng, source), 'fw.zip'))
    }
  })
})
