// Where the settings go: the data/nvs partition labelled "nvs" of the device's own table, and
// every reason to refuse it, each said before anything is written.
import { describe, expect, it } from 'vitest'
import { decodePartitionTable, encodePartitionTable, type PartitionEntry } from '../../../src/common/partition-table'
import { fillPartition, settingsPartition } from '../../../src/main/provision/nvs-partition'

const FLASH = 4 << 20
const entry = (name: string, type: number, subtype: number, offset: number, size: number, flags = 0): PartitionEntry => ({ name, type, subtype, offset, size, flags })
const table = (...entries: PartitionEntry[]) => decodePartitionTable(encodePartitionTable(entries))
const app = entry('factory', 0, 0, 0x10000, 0x100000)

describe('the settings partition', () => {
  it('is the data/nvs partition labelled nvs', () => {
    const found = settingsPartition(table(entry('nvs_keys', 1, 4, 0x9000, 0x1000), entry('nvs', 1, 2, 0xa000, 0x6000), app), FLASH)
    expect(found).toMatchObject({ name: 'nvs', offset: 0xa000, size: 0x6000 })
  })

  it('is refused, saying why and that nothing was written', () => {
    const cases: Array<[ReturnType<typeof table>, RegExp]> = [
      [decodePartitionTable(new Uint8Array(0xc00).fill(0xff)), /has no partition table at 0x8000 .*; nothing was written$/],
      [table(entry('phy_init', 1, 1, 0xf000, 0x1000), app), /has no nvs partition, where the firmware reads its settings; nothing was written/],
      [table(entry('settings', 1, 2, 0x9000, 0x6000), app), /no data\/nvs partition labelled "nvs" \(only "settings"\), and the firmware reads its settings from "nvs"/],
      [table(entry('nvs', 1, 2, 0x9000, 0x2000), app), /is too small: the firmware needs at least 12288 bytes/],
      [table(entry('nvs', 1, 2, 0x9000, 0x6000, 1), app), /is marked encrypted/],
      [table(entry('nvs', 1, 2, 0x3f0000, 0x20000)), /ends past the 4MB flash/],
    ]
    for (const [decoded, message] of cases) expect(() => settingsPartition(decoded, FLASH)).toThrow(message)
    const damaged = encodePartitionTable([entry('nvs', 1, 2, 0x9000, 0x6000), app])
    damaged.set([(damaged[0x50] as number) ^ 0xff], 0x50) // inside the MD5 row
    expect(() => settingsPartition(decodePartitionTable(damaged), FLASH)).toThrow(/partition table is damaged \(MD5 row mismatch/)
  })

  it('takes an image as large as the partition as it is, pads a smaller one with erased pages, refuses a larger one', () => {
    const nvs = entry('nvs', 1, 2, 0x9000, 0x6000)
    const full = new Uint8Array(0x6000).fill(0x5a)
    expect(fillPartition(full, nvs)).toBe(full)
    const padded = fillPartition(new Uint8Array(0x3000).fill(0x5a), nvs)
    expect(padded.length).toBe(0x6000)
    expect(padded.subarray(0x3000).every((byte) => byte === 0xff)).toBe(true)
    expect(() => fillPartition(new Uint8Array(0x7000), nvs)).toThrow(/is 28672 bytes, larger than the device's nvs partition \(24576 bytes at 0x9000\); nothing was written/)
    expect(() => fillPartition(new Uint8Array(0x1001), nvs)).toThrow(/not a whole number of 4096-byte pages/)
  })
})
