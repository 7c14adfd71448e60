// Read-back of arbitrary NVS bytes as a configuration: always a typed result, never a throw.
import { describe, expect, it } from 'vitest'
import { checkConfig, configFromNvsImage, configToNvsImage, defaultConfig } from '../../../src/common/config'
import { seededBytes } from './seeded-random'

describe('configuration read-back fuzz (seeded)', () => {
  it('turns damaged and random images into a valid configuration plus problems', () => {
    const random = seededBytes(42)
    const original = configToNvsImage({ ...defaultConfig(), pairId: 'abcdef0123456789' }, 0x3000)
    for (let round = 0; round < 200; round++) {
      const [pick, where, bit, cut] = Array.from(random(4))
      const image = (pick as number) < 32 ? random(((cut as number) % 4) * 1024 + 17) : original.slice(0, (pick as number) < 64 ? ((cut as number) << 5) + 64 : original.length)
      if (image.length > 200) image[((where as number) << 3) % image.length] = (image[((where as number) << 3) % image.length] as number) ^ (1 << ((bit as number) & 7))
      const back = configFromNvsImage(image)
      // Whatever was damaged, the firmware falls back to defaults: the result always validates.
      expect(checkConfig(back.config).ok).toBe(true)
      expect(Array.isArray(back.problems)).toBe(true)
    }
  })
})
