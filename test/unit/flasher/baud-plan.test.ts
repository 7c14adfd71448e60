import { describe, expect, it } from 'vitest'
import { BAUD_STEPS, nextLowerBaud, planBaud } from '../../../src/common/flasher/baud-plan'
import { describeWrittenRegion, describeWrittenRegions } from '../../../src/common/flasher/job-state'

describe('the baud rate a flash job starts at', () => {
  it.each([
    ['CP210x (CP2102 and CP2102N share the id)', 0x10c4, 0xea60, 921_600],
    ['CP2105/CP2108', 0x10c4, 0xea70, 2_000_000],
    ['CH340', 0x1a86, 0x7523, 2_000_000],
    ['CH9102', 0x1a86, 0x55d4, 3_000_000],
    ['FT2232 (ESP-Prog)', 0x0403, 0x6010, 3_000_000],
  ])('a local %s starts at the fastest step it is specified for', (_name, vendorId, productId, baud) => {
    expect(planBaud({ kind: 'local', vendorId, productId })).toMatchObject({ baud, native: false })
  })

  it('switches nothing on the chip\'s own USB, where the rate is ignored', () => {
    expect(planBaud({ kind: 'local', vendorId: 0x303a, productId: 0x1001 })).toMatchObject({ baud: 115200, native: true })
    expect(planBaud({ kind: 'local', vendorId: 0x303a, productId: 0x1001 }, 2_000_000)).toMatchObject({ native: true })
  })

  it('stays at 921600 where the bridge is unknown or hidden behind the network', () => {
    expect(planBaud({ kind: 'rfc2217' })).toMatchObject({ baud: 921_600, reason: expect.stringMatching(/remote link/) })
    expect(planBaud({ kind: 'socket' }).baud).toBe(921_600)
    expect(planBaud({ kind: 'local' }).baud).toBe(921_600)
  })

  it('takes a rate the technician asks for', () => {
    expect(planBaud({ kind: 'rfc2217' }, 2_000_000).baud).toBe(2_000_000)
    expect(planBaud({ kind: 'local', vendorId: 0x10c4, productId: 0xea60 }, 3_000_000).baud).toBe(3_000_000)
  })

  it('falls back one step at a time, down to the ROM\'s rate', () => {
    const path: number[] = []
    for (let baud: number | undefined = 3_000_000; baud !== undefined; baud = nextLowerBaud(baud)) path.push(baud)
    expect(path).toEqual([...BAUD_STEPS])
    expect(nextLowerBaud(1_000_000)).toBe(921_600)
    expect(nextLowerBaud(115_200)).toBeUndefined()
  })
})

describe('what a flash did to each region, in words', () => {
  it('says unchanged or how many blocks were written', () => {
    expect(describeWrittenRegion({ blocks: 256, written: 0 })).toBe('unchanged')
    expect(describeWrittenRegion({ blocks: 256, written: 3 })).toBe('3 of 256 blocks written')
    expect(describeWrittenRegion({ blocks: 1, written: 1 })).toBe('1 of 1 block written')
    expect(
      describeWrittenRegions([
        { name: 'bootloader', offset: 0, blocks: 6, written: 0 },
        { name: 'app', offset: 0x10000, blocks: 256, written: 3 },
        { offset: 0x9000, blocks: 6, written: 6 },
      ]),
    ).toBe('bootloader unchanged, app: 3 of 256 blocks written, 0x9000: 6 of 6 blocks written')
  })
})
