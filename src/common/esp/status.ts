// Status bytes at the end of every response, and what their error codes mean
// (esptool's FatalError.WithResult table). ROM answers carry 4 status bytes on the
// ESP32 family (status, error, 2 reserved); the stub carries 2.
import { hex } from '../hex'

export const ROM_STATUS_LENGTH = 4
export const STUB_STATUS_LENGTH = 2

export const ROM_ERRORS = {
  UNDEFINED: 0x00,
  INVALID_PARAMETER: 0x01,
  MALLOC_FAILED: 0x02,
  SEND_FAILED: 0x03,
  RECEIVE_FAILED: 0x04,
  INVALID_MESSAGE: 0x05,
  BAD_RESULT: 0x06,
  CHECKSUM: 0x07,
  FLASH_WRITE: 0x08,
  FLASH_READ: 0x09,
  FLASH_READ_LENGTH: 0x0a,
  DEFLATE_FAILED: 0x0b,
  DEFLATE_ADLER32: 0x0c,
  DEFLATE_PARAMETER: 0x0d,
  INVALID_RAM_SIZE: 0x0e,
  INVALID_RAM_ADDRESS: 0x0f,
} as const

export const STUB_ERRORS = {
  BAD_DATA_LEN: 0xc0,
  BAD_DATA_CHECKSUM: 0xc1,
  BAD_BLOCKSIZE: 0xc2,
  INVALID_COMMAND: 0xc3,
  FAILED_SPI_OP: 0xc4,
  FAILED_SPI_UNLOCK: 0xc5,
  NOT_IN_FLASH_MODE: 0xc6,
  INFLATE_ERROR: 0xc7,
  NOT_ENOUGH_DATA: 0xc8,
  TOO_MUCH_DATA: 0xc9,
  CMD_NOT_IMPLEMENTED: 0xff,
} as const

const ERROR_TEXT: ReadonlyMap<number, string> = new Map([
  [0x00, 'undefined error'],
  [0x01, 'invalid parameter'],
  [0x02, 'malloc failed'],
  [0x03, 'send failed'],
  [0x04, 'receive failed'],
  [0x05, 'invalid message format'],
  [0x06, 'bad result'],
  [0x07, 'checksum error'],
  [0x08, 'flash write error'],
  [0x09, 'flash read error'],
  [0x0a, 'flash read length error'],
  [0x0b, 'deflate failed'],
  [0x0c, 'deflate Adler-32 error'],
  [0x0d, 'deflate parameter error'],
  [0x0e, 'invalid RAM binary size'],
  [0x0f, 'invalid RAM binary address'],
  [0x64, 'invalid parameter'],
  [0x65, 'invalid format'],
  [0x66, 'description too long'],
  [0x67, 'bad encoding description'],
  [0x69, 'insufficient storage'],
  [0xc0, 'bad data length'],
  [0xc1, 'bad data checksum'],
  [0xc2, 'bad block size'],
  [0xc3, 'invalid command'],
  [0xc4, 'SPI operation failed'],
  [0xc5, 'SPI unlock failed'],
  [0xc6, 'not in flash mode'],
  [0xc7, 'inflate error'],
  [0xc8, 'not enough data'],
  [0xc9, 'too much data'],
  [0xca, 'NAND program failed'],
  [0xcb, 'NAND erase failed'],
  [0xff, 'command not implemented'],
])

/** "0x07 (checksum error)" */
export function describeStatusError(code: number): string {
  const text = ERROR_TEXT.get(code)
  const codeText = hex(code, 2)
  return text ? `${codeText} (${text})` : `${codeText} (unknown error)`
}
