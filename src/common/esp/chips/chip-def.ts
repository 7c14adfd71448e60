// What a chip is, as data: everything a flasher needs to detect it, talk to it and describe
// it, everything the image and bundle checks need, and, for the chips the twin can be,
// what the twin needs to impersonate it. One frozen object per chip in this folder, as
// esptool keeps one class per chip in esptool/targets.

export type ChipName =
  | 'esp32'
  | 'esp32s2'
  | 'esp32s3'
  | 'esp32c2'
  | 'esp32c3'
  | 'esp32c5'
  | 'esp32c6'
  | 'esp32c61'
  | 'esp32h2'
  | 'esp32h21'
  | 'esp32h4'
  | 'esp32p4'
  | 'esp32e22'
  | 'esp32s31'

export interface MemoryRegion {
  readonly start: number
  readonly end: number
  readonly name: string
}

/** The registers esptool drives to run an SPI flash command (RDID for the JEDEC id). */
export interface SpiRegisters {
  readonly base: number
  /** Offsets from `base`. CMD is at +0, ADDR at +4. */
  readonly usr: number
  readonly usr1: number
  readonly usr2: number
  readonly mosiDlen: number
  readonly misoDlen: number
  readonly w0: number
}

/** The RTC watchdog esptool's --after watchdog-reset arms (RTC_CNTL_WDT* per chip). */
export interface WatchdogRegisters {
  readonly config0: number
  readonly config1: number
  readonly writeProtect: number
}

/** Reads one 32-bit register of the chip (READ_REG), as an unsigned number. */
export type ReadReg = (address: number) => Promise<number>

export interface CrystalReading {
  readonly mhz: number
  /** Set when the frequency measured from the UART divider is far from the one named. */
  readonly warning?: string
}

/**
 * What the eFuses and a few registers say about one chip. The wording of description and
 * features is esptool-js 0.7.0's, which PairKit's probe has always shown; the revision is
 * major × 100 + minor, the unit ESP-IDF and the image headers (min/max_rev_full) use.
 */
export interface ChipIdentity {
  description(read: ReadReg): Promise<string>
  features(read: ReadReg): Promise<string[]>
  /** `baud`: the rate the chip's UART runs at now; the divider is read against it. */
  crystal(read: ReadReg, baud: number): Promise<CrystalReading>
  mac(read: ReadReg): Promise<Uint8Array>
  revision(read: ReadReg): Promise<number>
}

/** What only the twin needs: how the chip's mask ROM talks and prints. */
export interface TwinProfile {
  /** Where the UART's clock comes from when the ROM runs: divider = clock / baud. */
  readonly uartClockHz: number
  /**
   * ESP32 only: the two words the ROM's own crystal estimate comes from (TIMG0 RTCCALICFG1
   * cali value and eFuse CK8M_FREQ). esptool >= 4.5 reads them before CHANGE_BAUDRATE and
   * sends baud * estimate / crystal, so a chip that answers 0 here gets asked for 0 baud.
   */
  readonly romXtalCalibration?: {
    readonly rtcCaliCfg1Reg: number
    readonly rtcCaliValue: number
    readonly ck8mFreqEfuseReg: number
    readonly ck8mFreq: number
  }
  /** What the ROM prints before the rst: line (date stamp of the mask ROM). */
  readonly romBannerPrefix: readonly string[]
  /** rst/boot reasons as the ROM prints them. */
  readonly romText: {
    readonly powerOnReset: string
    readonly rtcWatchdogReset: string
    readonly softwareReset: string
    readonly downloadBoot: string
    readonly flashBoot: string
    /** load:/len: number style: ESP32 prints decimal lengths, newer ROMs hex. */
    readonly loadLengthHex: boolean
  }
}

export interface ChipDef {
  /** esptool's --chip and ESP-IDF's target: 'esp32', 'esp32s3', … */
  readonly name: ChipName
  /** esptool's CHIP_NAME: 'ESP32', 'ESP32-S3', … */
  readonly displayName: string
  /** IMAGE_CHIP_ID: ESP-IDF's esp_chip_id_t, in the image header and GET_SECURITY_INFO. */
  readonly imageChipId: number
  /** Values of CHIP_DETECT_MAGIC_REG_ADDR (0x40001000) this chip reads back. */
  readonly magicValues: readonly number[]
  /**
   * esptool's USES_MAGIC_VALUE: the ROM has no GET_SECURITY_INFO (ESP32) or leaves the chip
   * id out of it (ESP32-S2), so only the magic word identifies the chip.
   */
  readonly detectedByMagic: boolean
  /** Whether the ROM answers GET_SECURITY_INFO (ESP32-S2 and later). */
  readonly romHasSecurityInfo: boolean
  /** The ROM's FLASH_BEGIN takes a 5th word (encrypted flag): esptool SUPPORTS_ENCRYPTED_FLASH. */
  readonly romFlashBeginEncryptedWord: boolean
  /** Flash offset of the second-stage bootloader (esptool BOOTLOADER_FLASH_OFFSET). */
  readonly bootloaderOffset: number
  /** The two eFuse words holding the MAC; the MAC is pack_be(high, low) with the top 2 bytes dropped. */
  readonly macEfuse: { readonly low: number; readonly high: number }
  readonly spi: SpiRegisters
  /** UART0 clock divider register, where the crystal is estimated from it or the twin serves it. */
  readonly uartClkdivReg?: number
  /** Byte-accessible memory regions (esptool MEMORY_MAP). */
  readonly memoryMap: readonly MemoryRegion[]
  /** Flash frequency name → code in the image header's low nibble (esptool FLASH_FREQUENCY). */
  readonly flashFrequencies: Readonly<Record<string, number>>
  /** Where esptool's --after watchdog-reset arms the RTC watchdog; absent where it has none. */
  readonly rtcWatchdog?: WatchdogRegisters
  readonly identity: ChipIdentity
  /** Present for the chips the twin can be. */
  readonly twin?: TwinProfile
}

/** Freezes a definition and everything in it, so no caller can change what a chip is. */
export function defineChip<T extends ChipDef>(chip: T): T {
  return deepFreeze(chip)
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const member of Object.values(value)) deepFreeze(member)
  }
  return value
}
