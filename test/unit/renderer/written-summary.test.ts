// A finished flash job says, in the technician's words, what it wrote of each part and what the
// device already held.
import { describe, expect, it } from 'vitest'
import { writtenSummary } from '../../../src/renderer/src/data/written-summary'

const bootloader = { offset: 0x1000, size: 20000, name: 'bootloader', blocks: 5 }
const table = { offset: 0x8000, size: 3072, name: 'partition-table', blocks: 1 }
const app = { offset: 0x10000, size: 1 << 20, name: 'app', blocks: 256 }

describe('what a flash wrote', () => {
  it('names the parts the device already held and counts the blocks written of the others', () => {
    expect(writtenSummary({ regions: [{ ...bootloader, written: 0 }, { ...table, written: 0 }, { ...app, written: 3 }] })).toBe(
      'Bootloader unchanged, partition table unchanged, app: 3 of 256 blocks written.',
    )
    expect(writtenSummary({ regions: [{ ...bootloader, written: 5 }, { ...app, written: 1 }] })).toBe('Bootloader: all 5 blocks written, app: 1 of 256 blocks written.')
  })

  it('says so in one phrase when nothing or everything was written', () => {
    expect(writtenSummary({ regions: [{ ...bootloader, written: 0 }, { ...table, written: 0 }, { ...app, written: 0 }] })).toBe(
      'Nothing written: bootloader, partition table and app were already on the device.',
    )
    expect(writtenSummary({ regions: [{ ...bootloader, written: 5 }, { ...table, written: 1 }, { ...app, written: 256 }] })).toBe(
      'Everything written: bootloader, partition table and app (262 blocks).',
    )
    expect(writtenSummary({ regions: [{ offset: 0x9000, name: 'nvs', blocks: 6, written: 0 }] })).toBe('Nothing written: nvs was already on the device.')
    expect(writtenSummary({ regions: [{ offset: 0x9000, blocks: 1, written: 1 }] })).toBe('Everything written: the part at 0x9000 (1 block).')
  })

  it('says nothing about a result that does not tell', () => {
    expect(writtenSummary({ regions: [{ offset: 0, size: 4 }] })).toBeUndefined()
    expect(writtenSummary({ regions: [] })).toBeUndefined()
    expect(writtenSummary(undefined)).toBeUndefined()
    expect(writtenSummary({ probe: {} })).toBeUndefined()
  })
})
