import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { zlibSync } from 'fflate'
import { ESP32, ESP32C3, ESP32S3 } from '../../../src/common/esp/chips'
import { OPCODES } from '../../../src/common/esp/opcodes'
import { checksum, encodeDataBlock, packWords, SYNC_PAYLOAD } from '../../../src/common/esp/packet'
import { makeHarness } from './loader-harness'

const status = (data: Uint8Array, length: number) => Array.from(data.subarray(data.length - length))
const md5hex = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex')

async function uploadStub(h: ReturnType<typeof makeHarness>): Promise<string> {
  const code = new Uint8Array(64).fill(0x13)
  await h.request(OPCODES.MEM_BEGIN, packWords(code.length, 1, 0x1800, 0x40080000))
  await h.request(OPCODES.MEM_DATA, encodeDataBlock(0, code), checksum(code))
  h.frames = []
  h.loader.receive(Uint8Array.from([0, OPCODES.MEM_END, 8, 0, 0, 0, 0, 0, ...packWords(0, 0x40080400)]))
  await new Promise((resolve) => setTimeout(resolve, 0))
  return new TextDecoder().decode(h.frames[1])
}

describe('twin ROM loader', () => {
  it('answers SYNC with 8 replies carrying the ROM value and 4 status bytes', async () => {
    const h = makeHarness()
    const replies = await h.request(OPCODES.SYNC, SYNC_PAYLOAD)
    expect(replies).toHaveLength(8)
    expect(replies.every((reply) => reply.op === OPCODES.SYNC && reply.value === 0x20120707 && reply.data.length === 4)).toBe(true)
  })

  it.each([ESP32, ESP32S3, ESP32C3])('reads the chip-detect magic and the MAC of %s', async (chip) => {
    const h = makeHarness(chip)
    const [magic] = await h.request(OPCODES.READ_REG, packWords(0x40001000))
    expect(chip.magicValues).toContain(magic?.value)
    const [low] = await h.request(OPCODES.READ_REG, packWords(chip.macEfuse.low))
    const [high] = await h.request(OPCODES.READ_REG, packWords(chip.macEfuse.high))
    expect(high?.value).toBe(0x0102)
    expect(low?.value).toBe(0x03040506)
  })

  it('answers GET_SECURITY_INFO on the ESP32 as an unknown command, with another op byte', async () => {
    const [reply] = await makeHarness(ESP32).request(OPCODES.GET_SECURITY_INFO)
    expect(reply?.op).not.toBe(OPCODES.GET_SECURITY_INFO)
    expect(Array.from(reply?.data ?? [])).toEqual([1, 5, 0, 0])
  })

  it('reports the ESP32-C3 chip id through GET_SECURITY_INFO', async () => {
    const [reply] = await makeHarness(ESP32C3).request(OPCODES.GET_SECURITY_INFO)
    expect(reply?.data.length).toBe(24)
    expect(new DataView(reply!.data.buffer, reply!.data.byteOffset).getUint32(12, true)).toBe(5)
  })

  it('runs RDID through the SPI registers the way esptool does', async () => {
    const h = makeHarness(ESP32)
    const base = ESP32.spi.base
    await h.request(OPCODES.WRITE_REG, packWords(base + ESP32.spi.usr2, (7 << 28) | 0x9f, 0xffffffff, 0))
    await h.request(OPCODES.WRITE_REG, packWords(base, 1 << 18, 0xffffffff, 0))
    const [cmd] = await h.request(OPCODES.READ_REG, packWords(base))
    expect((cmd?.value ?? 1) & (1 << 18)).toBe(0)
    const [w0] = await h.request(OPCODES.READ_REG, packWords(base + ESP32.spi.w0))
    expect(w0?.value).toBe(0x1440ef) // 1 MiB flash in this harness
  })

  it('writes uncompressed in ROM mode, rejects a bad checksum with 0x07, and answers MD5 as 32 hex characters', async () => {
    const h = makeHarness()
    await h.request(OPCODES.SPI_ATTACH, packWords(0, 0))
    const block = new Uint8Array(0x400).map((_, i) => (i * 7) & 0xff)
    expect(status((await h.request(OPCODES.FLASH_BEGIN, packWords(0x400, 1, 0x400, 0x2000)))[0]!.data, 4)).toEqual([0, 0, 0, 0])
    const bad = await h.request(OPCODES.FLASH_DATA, encodeDataBlock(0, block), checksum(block) ^ 1)
    expect(status(bad[0]!.data, 4).slice(0, 2)).toEqual([1, 0x07])
    const good = await h.request(OPCODES.FLASH_DATA, encodeDataBlock(0, block), checksum(block))
    expect(status(good[0]!.data, 4)).toEqual([0, 0, 0, 0])
    const [md5] = await h.request(OPCODES.SPI_FLASH_MD5, packWords(0x2000, 0x400, 0, 0))
    expect(new TextDecoder().decode(md5!.data.subarray(0, 32))).toBe(md5hex(block))
  })

  it('refuses stub-only commands in ROM mode', async () => {
    const [reply] = await makeHarness().request(OPCODES.ERASE_REGION, packWords(0, 0x1000))
    expect(Array.from(reply!.data)).toEqual([1, 5, 0, 0])
  })
})

describe('twin stub mode', () => {
  it('greets with OHAI after MEM_END and then answers with 2 status bytes', async () => {
    const h = makeHarness()
    expect(await uploadStub(h)).toBe('OHAI')
    const [sync] = await h.request(OPCODES.SYNC, SYNC_PAYLOAD)
    expect(sync?.value).toBe(0)
    expect(sync?.data.length).toBe(2)
  })

  it('inflates FLASH_DEFL_DATA, erases just in time, and answers MD5 as 16 raw bytes', async () => {
    const h = makeHarness()
    await uploadStub(h)
    h.flash.program(0x5000, new Uint8Array(0x1000)) // zeros after the image must survive
    const image = new Uint8Array(0x3800).map((_, i) => (i % 251) ^ (i >> 8))
    const packed = zlibSync(image)
    await h.request(OPCODES.FLASH_DEFL_BEGIN, packWords(image.length, 1, 0x4000, 0x1000))
    const [data] = await h.request(OPCODES.FLASH_DEFL_DATA, encodeDataBlock(0, packed), checksum(packed))
    expect(Array.from(data!.data)).toEqual([0, 0])
    const [md5] = await h.request(OPCODES.SPI_FLASH_MD5, packWords(0x1000, image.length, 0, 0))
    expect(Buffer.from(md5!.data.subarray(0, 16)).toString('hex')).toBe(md5hex(image))
    expect(h.flash.read(0x5000, 16).every((byte) => byte === 0)).toBe(true)
  })

  it('answers a corrupt deflate stream with the inflate error 0xC7', async () => {
    const h = makeHarness()
    await uploadStub(h)
    await h.request(OPCODES.FLASH_DEFL_BEGIN, packWords(0x1000, 1, 0x4000, 0))
    const junk = Uint8Array.of(0x78, 0x9c, 0xff, 0xff, 0xff, 0xff, 0x00)
    const [reply] = await h.request(OPCODES.FLASH_DEFL_DATA, encodeDataBlock(0, junk), checksum(junk))
    expect(Array.from(reply!.data)).toEqual([1, 0xc7])
  })

  it('streams READ_FLASH in packets, waits for acks, and ends with the MD5', async () => {
    const h = makeHarness()
    await uploadStub(h)
    const content = new Uint8Array(0x2800).map((_, i) => i & 0xff)
    h.flash.erase(0, 0x3000)
    h.flash.program(0, content)
    const replies = await h.request(OPCODES.READ_FLASH, packWords(0, content.length, 0x1000, 2))
    expect(replies[0]?.data.length).toBe(2)
    // Two packets in flight, then it waits.
    expect(h.frames.slice(1).map((frame) => frame.length)).toEqual([0x1000, 0x1000])
    h.frames = []
    h.loader.receive(packWords(0x2000))
    expect(h.frames.map((frame) => frame.length)).toEqual([0x800])
    h.frames = []
    h.loader.receive(packWords(0x2800))
    expect(Buffer.from(h.frames[0]!).toString('hex')).toBe(md5hex(content))
  })

  it('erases a sector-aligned region and rejects an unaligned one', async () => {
    const h = makeHarness()
    await uploadStub(h)
    h.flash.program(0x3000, new Uint8Array(0x2000))
    expect(Array.from((await h.request(OPCODES.ERASE_REGION, packWords(0x3000, 0x1000)))[0]!.data)).toEqual([0, 0])
    expect(h.flash.read(0x3000, 0x1000).every((byte) => byte === 0xff)).toBe(true)
    expect(h.flash.read(0x4000, 4).every((byte) => byte === 0)).toBe(true)
    expect(Array.from((await h.request(OPCODES.ERASE_REGION, packWords(0x3100, 0x1000)))[0]!.data)).toEqual([1, 0xc0])
  })
})

describe('twin ROM deflate and RAM checks', () => {
  it('accepts FLASH_DEFL_* from the ROM with the size rounded up to blocks', async () => {
    const h = makeHarness()
    await h.request(OPCODES.SPI_ATTACH, packWords(0, 0))
    const image = new Uint8Array(3000).map((_, i) => i % 7)
    const packed = zlibSync(image)
    expect(Array.from((await h.request(OPCODES.FLASH_DEFL_BEGIN, packWords(0x1000, 1, 0x400, 0x3000)))[0]!.data)).toEqual([0, 0, 0, 0])
    expect(Array.from((await h.request(OPCODES.FLASH_DEFL_DATA, encodeDataBlock(0, packed), checksum(packed)))[0]!.data)).toEqual([0, 0, 0, 0])
    const [md5] = await h.request(OPCODES.SPI_FLASH_MD5, packWords(0x3000, image.length, 0, 0))
    expect(new TextDecoder().decode(md5!.data.subarray(0, 32))).toBe(md5hex(image))
  })

  it('refuses a RAM upload outside the memory map with 0x0F and a flash write before SPI_ATTACH', async () => {
    const h = makeHarness()
    expect(Array.from((await h.request(OPCODES.MEM_BEGIN, packWords(0x100, 1, 0x1800, 0x10000000)))[0]!.data).slice(0, 2)).toEqual([1, 0x0f])
    expect(Array.from((await h.request(OPCODES.FLASH_BEGIN, packWords(0x400, 1, 0x400, 0)))[0]!.data).slice(0, 2)).toEqual([1, 0x08])
  })
})
