// The CRC32 that NVS uses for page headers, entries and payloads (and otadata). It is the
// reflected 0xEDB88320 polynomial with the register seeded to 0 and the result inverted,
// i.e. zlib.crc32(data, 0xFFFFFFFF) — NOT the standard CRC-32 (which seeds 0xFFFFFFFF).
// Check value: "123456789" → 0xD202D277; empty or all-zero input → 0xFFFFFFFF.

const TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

export function nvsCrc32(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0
  for (let i = start; i < end; i++) crc = (TABLE[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/** CRC of an entry: bytes 0–3 then 8–31, skipping the CRC field itself. */
export function nvsEntryCrc32(entry: Uint8Array, offset = 0): number {
  const joined = new Uint8Array(28)
  joined.set(entry.subarray(offset, offset + 4), 0)
  joined.set(entry.subarray(offset + 8, offset + 32), 4)
  return nvsCrc32(joined)
}
