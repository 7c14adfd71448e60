// The eFuse decoding ported into the chip definitions against the code it was ported from:
// esptool-js 0.7.0's target classes, fed the same register contents. Random words, sparse
// words and zeros reach the package, revision and feature branches of every chip.
import { CHIP_DEFS } from 'esptool-js/lib/targets/index.js'
import type { ESPLoader } from 'esptool-js'
import { describe, expect, it } from 'vitest'
import { CHIPS, formatMac, type ChipDef } from '../../../src/common/esp/chips'
import { seededRandom } from '../../../src/common/seeded-random'

/** One chip's registers: every address has a fixed value for the whole run. */
function registerFile(seed: number): (address: number) => Promise<number> {
  const values = new Map<number, number>()
  const random = seededRandom(seed)
  const word = () => Math.floor(random() * 2 ** 32) >>> 0
  return async (address) => {
    let value = values.get(address)
    if (value === undefined) {
      const kind = random()
      value = kind < 0.3 ? 0 : kind < 0.65 ? (word() & word() & word()) >>> 0 : word()
      values.set(address, value)
    }
    return value
  }
}

interface Reference {
  getChipDescription(loader: ESPLoader): Promise<string>
  getChipFeatures(loader: ESPLoader): Promise<string[]>
  getCrystalFreq(loader: ESPLoader): Promise<number>
  readMac(loader: ESPLoader): Promise<string>
  getChipRevision?(loader: ESPLoader): Promise<number>
}

/** The members of an ESPLoader the target classes touch, over the same registers. */
function referenceLoader(read: (address: number) => Promise<number>, baud: number, notes: string[]): ESPLoader {
  const loader = { readReg: read, transport: { baudrate: baud }, info: (text: string) => notes.push(text), debug: () => {}, error: (text: string) => notes.push(text) }
  return loader as unknown as ESPLoader
}

const SAMPLES = 400
const BAUDS = [115200, 460800]

describe.each(CHIPS.map((chip) => [chip.name, chip] as [string, ChipDef]))('%s decodes its eFuses as esptool-js 0.7.0 does', (name, chip) => {
  const reference = (CHIP_DEFS as Record<string, Reference>)[name]

  it('has a reference class', () => {
    expect(reference).toBeDefined()
  })

  it(`description, features, crystal and MAC agree over ${SAMPLES} register files`, async () => {
    const ref = reference as Reference
    for (let sample = 0; sample < SAMPLES; sample++) {
      const read = registerFile(sample * 7919 + name.length)
      const baud = BAUDS[sample % BAUDS.length] as number
      const notes: string[] = []
      const loader = referenceLoader(read, baud, notes)
      const crystal = await chip.identity.crystal(read, baud)
      const ours = {
        description: await chip.identity.description(read),
        features: await chip.identity.features(read),
        crystal: crystal.mhz,
        warnings: crystal.warning ? [crystal.warning] : [],
        mac: formatMac(await chip.identity.mac(read)),
      }
      const theirs = {
        description: await ref.getChipDescription(loader),
        features: await ref.getChipFeatures(loader),
        crystal: await ref.getCrystalFreq(loader),
        warnings: notes,
        mac: await ref.readMac(loader),
      }
      expect(ours, `sample ${sample}`).toEqual(theirs)
    }
  })

  it('gives the revision as major × 100 + minor, with the major esptool-js reports', async () => {
    const ref = reference as Reference
    for (let sample = 0; sample < SAMPLES; sample++) {
      const read = registerFile(sample * 104729 + name.length)
      const revision = await chip.identity.revision(read)
      const description = await chip.identity.description(read)
      const printed = /\(revision v(\d+)\.(\d+)\)$/.exec(description)
      // Where the description prints vMAJOR.MINOR it must be the same revision.
      if (printed) expect(revision, description).toBe(Number(printed[1]) * 100 + Number(printed[2]))
      const theirs = ref.getChipRevision ? await ref.getChipRevision(referenceLoader(read, 115200, [])) : undefined
      if (name === 'esp32' || name === 'esp32c2') expect(Math.floor(revision / 100)).toBe(theirs)
      // esptool-js gives the C6 the low three bits of the minor revision.
      else if (name === 'esp32c6') expect((revision % 100) & 0x7).toBe(theirs)
      expect(revision % 100).toBeLessThan(16)
    }
  })
})
