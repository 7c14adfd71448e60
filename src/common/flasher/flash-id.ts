// SPI flash JEDEC id (RDID, 0x9F) → manufacturer and size (protocol reference §10).
import { flashSizeFromJedec } from '../esp/flash-id'

const MANUFACTURERS: ReadonlyMap<number, string> = new Map([
  [0xef, 'Winbond'],
  [0xc8, 'GigaDevice'],
  [0x20, 'XMC/Micron'],
  [0xc2, 'Macronix'],
  [0x68, 'Boya'],
  [0x5e, 'Zbit'],
  [0x1c, 'EON'],
  [0x0b, 'XTX'],
  [0x85, 'Puya'],
  [0x1f, 'Adesto'],
  [0xa1, 'Fudan'],
])

export interface FlashId {
  /** The 24-bit RDID answer: manufacturer in bits 0–7, type 8–15, capacity 16–23. */
  jedecId: number
  manufacturerId: number
  manufacturer?: string
  memoryType: number
  capacityId: number
  /** Bytes, when the capacity id is known. */
  sizeBytes?: number
  /** 0x000000 / 0xFFFFFF: the flash chip did not answer. */
  responding: boolean
}

export function decodeFlashId(raw: number): FlashId {
  const jedecId = raw & 0xffffff
  const manufacturerId = jedecId & 0xff
  const memoryType = (jedecId >> 8) & 0xff
  const capacityId = (jedecId >> 16) & 0xff
  const responding = jedecId !== 0 && jedecId !== 0xffffff
  const sizeBytes = responding ? flashSizeFromJedec(jedecId) : undefined
  const manufacturer = MANUFACTURERS.get(manufacturerId)
  return { jedecId, manufacturerId, memoryType, capacityId, responding, ...(manufacturer ? { manufacturer } : {}), ...(sizeBytes ? { sizeBytes } : {}) }
}

/** "4MB", "512KB" — as esptool and the partition tools spell flash sizes. */
export function formatFlashSize(bytes: number): string {
  return bytes >= 1 << 20 ? `${bytes / (1 << 20)}MB` : `${bytes / 1024}KB`
}

/** esptool's SPI_SET_PARAMS values for a flash of `sizeBytes`. */
export function spiParams(sizeBytes: number): number[] {
  return [0, sizeBytes, 64 * 1024, 4 * 1024, 256, 0xffff]
}
