import { describe, expect, it } from 'vitest'
import { Sha256, sha256, toHex } from '../../../src/common/app-image'

const text = (s: string) => new TextEncoder().encode(s)

describe('sha256 (FIPS 180-4 vectors)', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    ['abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu', 'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1'],
  ])('of %j', (input, digest) => {
    expect(toHex(sha256(text(input)))).toBe(digest)
  })

  it('of a million "a"s, fed in uneven pieces', () => {
    const hash = new Sha256()
    const chunk = new Uint8Array(999).fill(0x61)
    let left = 1_000_000
    while (left > 0) {
      const n = Math.min(left, chunk.length)
      hash.update(chunk.subarray(0, n))
      left -= n
    }
    expect(toHex(hash.digest())).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0')
  })
})
