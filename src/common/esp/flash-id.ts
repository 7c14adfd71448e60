// SPI flash identification: the RDID (0x9F) JEDEC answer, what its bytes mean (protocol
// reference §10), and the SPI_SET_PARAMS words for the size found.

export const SPIFLASH_RDID = 0x9f
export const SPIFLASH_RDSR = 0x05
export const SPIFLASH_RDSR2 = 0x35

/** Capacity id (bits 16–23 of the RDID answer) → bytes, esptool's DETECTED_FLASH_SIZES. */
const CAPACITY_BYTES: ReadonlyMap<number, number> = new Map([
  [0x12, 256 << 10], [0x32, 256 << 10],
  [0x13, 512 << 10], [0x33, 512 << 10],
  [0x14, 1 << 20], [0x34, 1 << 20],
  [0x15, 2 << 20], [0x35, 2 << 20],
  [0x16, 4 << 20], [0x36, 4 << 20],
  [0x17, 8 << 20], [0x37, 8 << 20],
  [0x18, 16 << 20], [0x38, 16 << 20],
  [0x19, 32 << 20], [0x39, 32 << 20],
  [0x1a, 64 << 20], [0x3a, 64 << 20], [0x20, 64 << 20],
  [0x1b, 128 << 20], [0x21, 128 << 20],
  [0x1c, 256 << 20], [0x22, 256 << 20],
])

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

export function flashSizeFromJedec(jedec: number): number | undefined {
  return CAPACITY_BYTES.get((jedec >>> 16) & 0xff)
}

/** A Winbond-style JEDEC id (manufacturer 0xEF, type 0x40) for a flash of `bytes`. */
export function winbondJedecFor(bytes: number): number {
  const log2 = Math.round(Math.log2(bytes))
  return ((log2 & 0xff) << 16) | (0x40 << 8) | 0xef
}

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

/** esptool's SPI_SET_PARAMS words for a flash of `sizeBytes`: id, size, block, sector, page, status mask. */
export function spiParams(sizeBytes: number): number[] {
  return [0, sizeBytes, 64 * 1024, 4 * 1024, 256, 0xffff]
}
