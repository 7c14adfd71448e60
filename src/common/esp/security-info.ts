// GET_SECURITY_INFO's answer (S2 and later ROMs and stubs): security flags, the flash
// encryption counter, key purposes and, except on the ESP32-S2, the chip id (protocol reference §8).

export const SECURITY_FLAGS = {
  SECURE_BOOT_EN: 1 << 0,
  SECURE_BOOT_AGGRESSIVE_REVOKE: 1 << 1,
  SECURE_DOWNLOAD_ENABLE: 1 << 2,
  SECURE_BOOT_KEY_REVOKE0: 1 << 3,
  SECURE_BOOT_KEY_REVOKE1: 1 << 4,
  SECURE_BOOT_KEY_REVOKE2: 1 << 5,
  SOFT_DIS_JTAG: 1 << 6,
  HARD_DIS_JTAG: 1 << 7,
  DIS_USB: 1 << 8,
  DIS_DOWNLOAD_DCACHE: 1 << 9,
  DIS_DOWNLOAD_ICACHE: 1 << 10,
} as const

export interface SecurityInfo {
  flags: number
  flashCryptCount: number
  keyPurposes: number[]
  /** Missing on the ESP32-S2 (12-byte answer). */
  chipId?: number
  apiVersion?: number
  secureBoot: boolean
  secureDownloadMode: boolean
  /** Flash encryption is on when the crypt counter has an odd number of bits set. */
  flashEncryption: boolean
  jtagDisabled: boolean
}

/** Parses the GET_SECURITY_INFO data (status bytes already removed); undefined if too short. */
export function parseSecurityInfo(data: Uint8Array): SecurityInfo | undefined {
  if (data.length < 12) return undefined
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const flags = view.getUint32(0, true)
  const flashCryptCount = data[4] ?? 0
  let bits = 0
  for (let value = flashCryptCount; value; value >>= 1) bits += value & 1
  const info: SecurityInfo = {
    flags,
    flashCryptCount,
    keyPurposes: Array.from(data.subarray(5, 12)),
    secureBoot: (flags & SECURITY_FLAGS.SECURE_BOOT_EN) !== 0,
    secureDownloadMode: (flags & SECURITY_FLAGS.SECURE_DOWNLOAD_ENABLE) !== 0,
    flashEncryption: bits % 2 === 1,
    jtagDisabled: (flags & (SECURITY_FLAGS.SOFT_DIS_JTAG | SECURITY_FLAGS.HARD_DIS_JTAG)) !== 0,
  }
  if (data.length >= 20) {
    info.chipId = view.getUint32(12, true)
    info.apiVersion = view.getUint32(16, true)
  }
  return info
}
