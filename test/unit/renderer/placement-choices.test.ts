// A file dropped alone goes where the technician chooses: a partition from a probed device's
// table, the likely one first — the nvs partition for data, an app partition for an app image.
import { describe, expect, it } from 'vitest'
import type { Device } from '../../../src/common/contract'
import { parseOffset, placementChoices } from '../../../src/renderer/src/data/placement-choices'

const table = [
  { name: 'nvs', type: 1, subtype: 2, offset: 0x9000, size: 0x6000, flags: 0 },
  { name: 'phy_init', type: 1, subtype: 1, offset: 0xf000, size: 0x1000, flags: 0 },
  { name: 'factory', type: 0, subtype: 0, offset: 0x10000, size: 0x100000, flags: 0 },
]
const device = (id: string, partitionTable = table): Device => ({
  id, kind: 'rfc2217', presence: 'reachable',
  facts: { probedAt: 1, chip: 'esp32', probe: { port: id, chip: 'esp32', features: [], stub: true, baud: 115200, notes: [], partitionTable } },
})

describe('placement choices', () => {
  it('offers the nvs partition first for data, once for devices with the same table', () => {
    const choices = placementChoices([device('a'), device('b'), { id: 'c', kind: 'local', presence: 'absent' }], { bytes: new Uint8Array(0x6000).fill(0xff) })
    expect(choices.map((choice) => choice.name)).toEqual(['nvs', 'phy_init', 'factory'])
    expect(choices[0]).toMatchObject({ offset: 0x9000, devices: ['a', 'b'], tooSmall: false, label: 'nvs at 0x9000 (24.0 KiB)' })
    expect(choices[1]).toMatchObject({ tooSmall: true, label: 'phy_init at 0xf000 (4.0 KiB): too small for this file' })
  })

  it('offers the app partitions first for an app image', () => {
    const app = new Uint8Array(0x2000)
    app[0] = 0xe9
    expect(placementChoices([device('a')], { bytes: app })[0]?.name).toBe('factory')
  })

  it('reads an offset typed in hex or decimal, on a 4 KiB sector only', () => {
    expect(parseOffset('0x9000')).toBe(0x9000)
    expect(parseOffset(' 9000h ')).toBe(0x9000)
    expect(parseOffset('36864')).toBe(0x9000)
    expect(parseOffset('0x9001')).toBeUndefined()
    expect(parseOffset('nvs')).toBeUndefined()
    expect(parseOffset('')).toBeUndefined()
  })
})
