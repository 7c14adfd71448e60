// Serial-bootloader opcodes, one table grouped by who answers them (esptool's ESP_CMDS).
// The reverse map (code → name) is derived, for trace output and error messages.
import { hex } from '../hex'

export const OPCODES = {
  // ESP8266 ROM and every later ROM
  FLASH_BEGIN: 0x02,
  FLASH_DATA: 0x03,
  FLASH_END: 0x04,
  MEM_BEGIN: 0x05,
  MEM_END: 0x06,
  MEM_DATA: 0x07,
  SYNC: 0x08,
  WRITE_REG: 0x09,
  READ_REG: 0x0a,
  // ESP32 and later ROMs
  SPI_SET_PARAMS: 0x0b,
  SPI_ATTACH: 0x0d,
  READ_FLASH_SLOW: 0x0e,
  CHANGE_BAUDRATE: 0x0f,
  FLASH_DEFL_BEGIN: 0x10,
  FLASH_DEFL_DATA: 0x11,
  FLASH_DEFL_END: 0x12,
  SPI_FLASH_MD5: 0x13,
  // ESP32-S2 and later ROMs
  GET_SECURITY_INFO: 0x14,
  // Stub only
  ERASE_FLASH: 0xd0,
  ERASE_REGION: 0xd1,
  READ_FLASH: 0xd2,
  RUN_USER_CODE: 0xd3,
  FLASH_ENCRYPT_DATA: 0xd4,
} as const

export type OpcodeName = keyof typeof OPCODES
export type Opcode = (typeof OPCODES)[OpcodeName]

const NAMES: ReadonlyMap<number, OpcodeName> = new Map(
  (Object.entries(OPCODES) as [OpcodeName, number][]).map(([name, code]) => [code, name]),
)

/** Commands a stub (and not the ROM) understands. */
export const STUB_ONLY_OPCODES: ReadonlySet<number> = new Set([
  OPCODES.ERASE_FLASH,
  OPCODES.ERASE_REGION,
  OPCODES.READ_FLASH,
  OPCODES.RUN_USER_CODE,
  OPCODES.FLASH_ENCRYPT_DATA,
])

/** Commands whose payload carries the XOR checksum (section 3 of the protocol). */
export const CHECKSUMMED_OPCODES: ReadonlySet<number> = new Set([OPCODES.MEM_DATA, OPCODES.FLASH_DATA, OPCODES.FLASH_DEFL_DATA])

export function opcodeName(code: number): OpcodeName | undefined {
  return NAMES.get(code)
}

/** "FLASH_DEFL_DATA (0x11)" or "0x7f" for trace lines and messages. */
export function describeOpcode(code: number): string {
  const codeText = hex(code, 2)
  const name = NAMES.get(code)
  return name ? `${name} (${codeText})` : codeText
}
