import { describe, expect, it } from 'vitest'
import { identifyBridge, parseUsbId } from '../../../src/common/usb-bridges'

describe('identifyBridge', () => {
  it.each([
    ['10c4', 'ea60', 'Silicon Labs CP210x', true, 921600, false],
    ['1a86', '7523', 'WCH CH340/CH341', true, 2_000_000, false],
    ['1a86', '55d4', 'WCH CH9102/CH343', true, 3_000_000, false],
    ['0403', '6001', 'FTDI FT232', false, 3_000_000, false],
    ['0403', '6010', 'FTDI FT2232 (ESP-Prog, ESP-WROVER-KIT)', true, 3_000_000, false],
    ['303a', '1001', 'Espressif USB-Serial/JTAG', true, 10_000_000, true],
    ['303A', '0x0002', 'ESP32-S2/S3 USB-OTG CDC (ROM)', true, 10_000_000, true],
    ['303a', '4001', 'Espressif USB device', true, 921600, false],
  ])('%s:%s is %s', (vid, pid, name, likely, maxBaud, native) => {
    expect(identifyBridge(vid, pid)).toEqual({ name, likelyEsp32: likely, maxBaud, native })
  })

  it('does not identify unknown or malformed ids', () => {
    expect(identifyBridge('046d', 'c52b')).toBeUndefined()
    expect(identifyBridge(undefined, undefined)).toBeUndefined()
    expect(identifyBridge('zzzz', '0001')).toBeUndefined()
    expect(parseUsbId('12345')).toBeUndefined()
    expect(parseUsbId(0x10000)).toBeUndefined()
  })
})
