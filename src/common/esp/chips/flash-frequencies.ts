// Flash frequency name → code in the image header's low nibble, per chip family (esptool
// FLASH_FREQUENCY). Chips share them the way esptool's classes inherit them.

export const ESP32_FLASH_FREQUENCIES = { '80m': 0xf, '40m': 0x0, '26m': 0x1, '20m': 0x2 } as const
/** ESP32-C5, C61 and S31: no 26 MHz. */
export const C5_FLASH_FREQUENCIES = { '80m': 0xf, '40m': 0x0, '20m': 0x2 } as const
export const C2_FLASH_FREQUENCIES = { '60m': 0xf, '30m': 0x0, '20m': 0x1, '15m': 0x2 } as const
/** ESP32-H2, H21 and H4 run the flash from a 48 MHz clock. */
export const H2_FLASH_FREQUENCIES = { '48m': 0xf, '24m': 0x0, '16m': 0x1, '12m': 0x2 } as const
/** The C6 ROM needs 80m written as 0, the code of 40m (a wrong MSPI divider in its ROM). */
export const C6_FLASH_FREQUENCIES = { '80m': 0x0, '40m': 0x0, '20m': 0x2 } as const
