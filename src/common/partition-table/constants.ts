// The partition table format, tabulated once. Sources: ESP-IDF gen_esp32part.py and
// esp_flash_partitions.h (types and subtypes as of v5.5/v6.0).

export const ENTRY_LENGTH = 32
/** The binary is one 4 KiB sector; the generator writes 0xC00 bytes and leaves 1 KiB for a signature. */
export const TABLE_MAX_LENGTH = 0xc00
export const TABLE_SECTOR_SIZE = 0x1000
export const DEFAULT_TABLE_OFFSET = 0x8000
export const ENTRY_MAGIC = [0xaa, 0x50] as const
export const MD5_MAGIC = [0xeb, 0xeb] as const
export const NAME_LENGTH = 16

export const TYPE_APP = 0x00
export const TYPE_DATA = 0x01
export const TYPE_BOOTLOADER = 0x02
export const TYPE_PARTITION_TABLE = 0x03

/** Type names in the generator's order (its error messages list them so). */
export const TYPES: Readonly<Record<string, number>> = {
  bootloader: TYPE_BOOTLOADER,
  partition_table: TYPE_PARTITION_TABLE,
  app: TYPE_APP,
  data: TYPE_DATA,
}

const APP_SUBTYPES: Record<string, number> = { factory: 0x00, test: 0x20 }
for (let slot = 0; slot < 16; slot++) APP_SUBTYPES[`ota_${slot}`] = 0x10 + slot
APP_SUBTYPES.tee_0 = 0x30
APP_SUBTYPES.tee_1 = 0x31

export const SUBTYPE_DATA_OTA = 0x00
export const SUBTYPE_DATA_COREDUMP = 0x03
export const SUBTYPE_DATA_NVS = 0x02
export const SUBTYPE_DATA_UNDEFINED = 0x06
export const SUBTYPE_PRIMARY = 0x00
export const SUBTYPE_BOOTLOADER_RECOVERY = 0x02
export const SUBTYPE_DATA_TEE_OTA = 0x90

export const SUBTYPES: Readonly<Record<number, Readonly<Record<string, number>>>> = {
  [TYPE_APP]: APP_SUBTYPES,
  [TYPE_DATA]: {
    ota: 0x00, phy: 0x01, nvs: 0x02, coredump: 0x03, nvs_keys: 0x04, efuse: 0x05, undefined: 0x06,
    esphttpd: 0x80, fat: 0x81, spiffs: 0x82, littlefs: 0x83, tee_ota: 0x90, tee_sec_stg: 0x91,
  },
  [TYPE_BOOTLOADER]: { primary: 0x00, ota: 0x01, recovery: 0x02 },
  [TYPE_PARTITION_TABLE]: { primary: 0x00, ota: 0x01 },
}

/** Flag names and their bit numbers in the flags word, in the generator's order. */
export const FLAGS: Readonly<Record<string, number>> = { encrypted: 0, readonly: 1 }

/** App partitions start on an MMU page; everything else on a flash sector. */
export const APP_OFFSET_ALIGNMENT = 0x10000
export const DATA_OFFSET_ALIGNMENT = 0x1000
/** App sizes are whole sectors (64 KiB with secure boot v1, which PairKit does not produce). */
export const APP_SIZE_ALIGNMENT = 0x1000
export const OTADATA_SIZE = 0x2000
/** A writable NVS partition needs at least three pages. */
export const NVS_MIN_WRITABLE_SIZE = 0x3000

export function offsetAlignment(type: number): number {
  return type === TYPE_APP ? APP_OFFSET_ALIGNMENT : DATA_OFFSET_ALIGNMENT
}

export function typeName(type: number): string | undefined {
  return Object.keys(TYPES).find((name) => TYPES[name] === type)
}

export function subtypeName(type: number, subtype: number): string | undefined {
  const names = SUBTYPES[type]
  return names ? Object.keys(names).find((name) => names[name] === subtype) : undefined
}
