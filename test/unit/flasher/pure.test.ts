import { describe, expect, it } from 'vitest'
import { chipByMagic, chipBySecurityId, ESP32, ESP32S3 } from '../../../src/common/esp/chips'
import { decodeFlashId } from '../../../src/common/esp/flash-id'
import { parseSecurityInfo } from '../../../src/common/esp/security-info'
import { seededRandom } from '../../../src/common/seeded-random'
import { wireUtilisation } from '../../../src/common/flasher/job-state'
import { checkPlan, padToWord } from '../../../src/common/flasher/plan'
import { ProgressMeter, Throttle } from '../../../src/common/flasher/progress'
import { watchdogResetWrites } from '../../../src/common/flasher/watchdog'

describe('chip detection', () => {
  it('maps magic words and security chip ids as esptool does', () => {
    expect(chipByMagic(0x00f01d83)?.name).toBe('esp32')
    expect(chipByMagic(0x1b31506f)?.name).toBe('esp32c3')
    expect(chipByMagic(0x12345678)).toBeUndefined()
    expect(chipBySecurityId(9)?.name).toBe('esp32s3')
    // The ESP32-S2 and older are detected by magic; beta ids are rejected.
    expect(chipBySecurityId(2)).toBeUndefined()
    expect(chipBySecurityId(4)).toBeUndefined()
  })
  it('parses the 20-byte and the S2 12-byte security info', () => {
    const full = Uint8Array.from([0x05, 0, 0, 0, 0b111, 1, 2, 3, 4, 5, 6, 7, 9, 0, 0, 0, 1, 0, 0, 0])
    expect(parseSecurityInfo(full)).toMatchObject({ secureBoot: true, secureDownloadMode: true, flashEncryption: true, flashCryptCount: 7, chipId: 9, apiVersion: 1 })
    const s2 = parseSecurityInfo(full.subarray(0, 12))
    expect(s2?.chipId).toBeUndefined()
    expect(parseSecurityInfo(full.subarray(0, 11))).toBeUndefined()
  })
  it('never throws on random answers (seeded fuzz)', () => {
    const random = seededRandom(42)
    const byte = () => Math.floor(random() * 256)
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: byte() % 40 }, byte)
      const info = parseSecurityInfo(bytes)
      if (bytes.length < 12) expect(info).toBeUndefined()
      else expect(typeof info?.flags).toBe('number')
    }
  })
})

describe('flash id', () => {
  it('decodes a Winbond 4 MB part and an absent flash', () => {
    expect(decodeFlashId(0x1640ef)).toMatchObject({ manufacturer: 'Winbond', sizeBytes: 4 << 20, responding: true })
    expect(decodeFlashId(0xffffff)).toMatchObject({ responding: false })
    expect(decodeFlashId(0xffffff).sizeBytes).toBeUndefined()
  })
})

describe('plan checks', () => {
  const device = { chip: 'esp32s3', flashSize: 4 << 20 }
  const region = (offset: number, size: number, name = 'app') => ({ offset, name, bytes: new Uint8Array(size) })
  it('says which chip the bundle is for', () => {
    expect(() => checkPlan([region(0x10000, 16)], device, 'esp32c3')).toThrow('this bundle is for esp32c3, the device is an esp32s3')
  })
  it('says how much flash the bundle needs', () => {
    expect(() => checkPlan([region(0x400000, 0x1000)], device)).toThrow('flash too small: the bundle needs 8 MB, the device has 4 MB')
  })
  it('refuses overlaps and misaligned parts, and sorts the rest', () => {
    expect(() => checkPlan([region(0x10000, 0x2000, 'a'), region(0x11000, 16, 'b')], device)).toThrow(/overlaps b/)
    expect(() => checkPlan([region(0x10010, 16)], device)).toThrow(/sector boundary/)
    expect(checkPlan([region(0x20000, 4, 'b'), region(0x0, 4, 'a')], device).map((r) => r.name)).toEqual(['a', 'b'])
  })
  it('pads to whole words with erased-flash bytes', () => {
    expect(Array.from(padToWord(Uint8Array.of(1, 2, 3, 4, 5)))).toEqual([1, 2, 3, 4, 5, 0xff, 0xff, 0xff])
  })
})

describe('progress', () => {
  it('computes rate and ETA from a sliding window', () => {
    let now = 0
    const meter = new ProgressMeter(100_000, () => now)
    now = 1000
    meter.update(10_000)
    now = 2000
    meter.update(20_000)
    const p = meter.snapshot()
    expect(p.percent).toBe(20)
    expect(p.bytesPerSecond).toBe(10_000)
    expect(p.etaSeconds).toBe(8)
  })
  it('never goes backwards or past the total', () => {
    const meter = new ProgressMeter(10, () => 0)
    meter.update(8)
    meter.update(3)
    expect(meter.snapshot().bytesDone).toBe(8)
    meter.update(99)
    expect(meter.snapshot()).toMatchObject({ bytesDone: 10, percent: 100, etaSeconds: 0 })
  })
  it('lets an update through at most once an interval, and always when forced', () => {
    let now = 1000
    const throttle = new Throttle(250, () => now)
    expect(throttle.due()).toBe(true)
    now = 1100
    expect(throttle.due()).toBe(false)
    expect(throttle.due(true)).toBe(true)
    now = 1349
    expect(throttle.due()).toBe(false)
    now = 1350
    expect(throttle.due()).toBe(true)
  })
  it('wire utilisation counts 10 bits a byte', () => {
    expect(wireUtilisation(11520, 1, 115200)).toBe(1)
  })
})

describe('watchdog reset', () => {
  it('unlocks, arms and relocks the RTC watchdog on chips that have it', () => {
    const writes = watchdogResetWrites(ESP32S3)
    expect(writes?.map(([, value]) => value)).toEqual([0x50d83aa1, 2000, 0xd0000102, 0])
    expect(watchdogResetWrites(ESP32)).toBeUndefined()
  })
})
