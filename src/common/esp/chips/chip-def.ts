// What a chip is, as data: everything a flasher needs to detect it and talk to it, and
// everything the twin needs to impersonate it. One frozen object per chip in this folder.

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

export interface ChipDef {
  /** Short id used on the command line and in manifests: 'esp32', 'esp32s3', … */
  readonly id: 'esp32' | 'esp32s3' | 'esp32c3'
  /** esptool's CHIP_NAME: 'ESP32', 'ESP32-S3', 'ESP32-C3'. */
  readonly name: string
  /** IMAGE_CHIP_ID (GET_SECURITY_INFO and the app image header). */
  readonly imageChipId: number
  /** Values of CHIP_DETECT_MAGIC_REG_ADDR (0x40001000) this chip reads back. */
  readonly magicValues: readonly number[]
  /** Whether the ROM answers GET_SECURITY_INFO (ESP32-S2 and later). */
  readonly romHasSecurityInfo: boolean
  /** The ROM's FLASH_BEGIN takes a 5th word (encrypted flag): esptool SUPPORTS_ENCRYPTED_FLASH. */
  readonly romFlashBeginEncryptedWord: boolean
  /** The two eFuse words holding the MAC; the MAC is pack_be(high, low) with the top 2 bytes dropped. */
  readonly macEfuse: { readonly low: number; readonly high: number }
  readonly efuseBase: number
  readonly spi: SpiRegisters
  /** UART0 clock divider register (esptool reads it to estimate the crystal on the ESP32). */
  readonly uartClkdivReg: number
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
  /** Flash offset of the second-stage bootloader. */
  readonly bootloaderOffset: number
  /** Built-in USB (Espressif VID 0x303A) product ids, if the chip has that peripheral. */
  readonly usb: { readonly vendorId: number; readonly jtagSerialPid?: number; readonly otgPid?: number } | undefined
  /** Byte-accessible memory regions (esptool MEMORY_MAP). */
  readonly memoryMap: readonly MemoryRegion[]
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

export function defineChip(chip: ChipDef): ChipDef {
  return Object.freeze(chip)
}
