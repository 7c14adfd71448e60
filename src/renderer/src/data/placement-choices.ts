// Where a file dropped alone (an NVS image, an app .bin) can go: the partitions of the tables
// read from probed devices, the likely one first — the nvs partition for data, the app
// partitions for an app image — so the technician picks an offset instead of typing one.
import type { Device } from '../../../common/contract'
import { hex } from '../../../common/hex'
import { formatBytes } from './format'

const TYPE_APP = 0
const TYPE_DATA = 1
const SUBTYPE_NVS = 0x02
/** The first byte of an ESP app image. */
const IMAGE_MAGIC = 0xe9

export interface PlacementChoice {
  offset: number
  name: string
  size: number
  /** The devices whose table has this partition. */
  devices: string[]
  /** The file is larger than the partition: offered, but not choosable. */
  tooSmall: boolean
  label: string
}

export function placementChoices(devices: readonly Device[], file: { bytes: Uint8Array }): PlacementChoice[] {
  const isApp = file.bytes[0] === IMAGE_MAGIC
  const found = new Map<string, PlacementChoice & { rank: number }>()
  for (const device of devices) {
    for (const entry of device.facts?.probe.partitionTable ?? []) {
      const key = `${entry.name}@${entry.offset}+${entry.size}`
      const known = found.get(key)
      if (known) {
        known.devices.push(device.id)
        continue
      }
      const rank = isApp ? (entry.type === TYPE_APP ? 0 : 1) : entry.type === TYPE_DATA && entry.subtype === SUBTYPE_NVS && entry.name === 'nvs' ? 0 : entry.type === TYPE_DATA ? 1 : 2
      const tooSmall = file.bytes.length > entry.size
      found.set(key, {
        offset: entry.offset, name: entry.name, size: entry.size, devices: [device.id], tooSmall, rank,
        label: `${entry.name} at ${hex(entry.offset)} (${formatBytes(entry.size)})${tooSmall ? ': too small for this file' : ''}`,
      })
    }
  }
  return [...found.values()].sort((a, b) => a.rank - b.rank || a.offset - b.offset).map(({ rank: _rank, ...choice }) => choice)
}

/** "0x9000", "9000h" or "36864" → the offset; undefined when it is not one on a 4 KiB sector. */
export function parseOffset(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase()
  const value = /^0x[0-9a-f]+$/.test(trimmed) ? Number.parseInt(trimmed.slice(2), 16) : /^[0-9a-f]+h$/.test(trimmed) ? Number.parseInt(trimmed.slice(0, -1), 16) : /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff || value % 0x1000 !== 0) return undefined
  return value
}
