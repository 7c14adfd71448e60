// The binary table: 32-byte entries, an optional MD5 row over them, then 0xFF padding whose
// first row is the end marker. decodePartitionTable() never throws for bad input; it stops
// at the first row it cannot read and lists the problem.
import { PairKitError } from '../errors'
import { hexBytes } from '../hex'
import { ENTRY_LENGTH, ENTRY_MAGIC, FLAGS, MD5_MAGIC, NAME_LENGTH, TABLE_MAX_LENGTH } from './constants'
import type { PartitionEntry, PartitionProblem } from './entry'
import { md5 } from './md5'

export interface DecodedTable {
  entries: PartitionEntry[]
  /** Whether an MD5 row was present, and whether it matched the rows before it. */
  md5: { present: boolean; valid: boolean }
  /** False for a table with no end marker (esptool's legacy 96-byte test table, a cut read). */
  terminated: boolean
  problems: PartitionProblem[]
}

const KNOWN_FLAG_BITS = Object.values(FLAGS).reduce((mask, bit) => mask | (1 << bit), 0)
const decoder = new TextDecoder('utf-8', { fatal: false })

export function decodePartitionTable(bytes: Uint8Array): DecodedTable {
  const result: DecodedTable = { entries: [], md5: { present: false, valid: false }, terminated: false, problems: [] }
  const problems = result.problems
  // Only one sector's worth is ever a table: the bootloader reads at most 0xC00 bytes.
  const length = Math.min(bytes.length, TABLE_MAX_LENGTH)
  if (length % ENTRY_LENGTH !== 0) {
    problems.push({ code: 'LENGTH', severity: 'warning', message: `${bytes.length} bytes is not a whole number of 32-byte rows; the last ${length % ENTRY_LENGTH} bytes are ignored` })
  }
  let md5Start = 0
  for (let offset = 0; offset + ENTRY_LENGTH <= length; offset += ENTRY_LENGTH) {
    const row = bytes.subarray(offset, offset + ENTRY_LENGTH)
    if (row.every((byte) => byte === 0xff)) {
      result.terminated = true
      return result
    }
    if (row[0] === MD5_MAGIC[0] && row[1] === MD5_MAGIC[1]) {
      const stored = row.subarray(16)
      const computed = md5(bytes.subarray(md5Start, offset))
      const valid = stored.every((byte, i) => byte === computed[i])
      if (result.md5.present) problems.push({ code: 'MD5_MISMATCH', severity: 'error', message: `a second MD5 row at byte 0x${offset.toString(16)}; the bootloader allows one` })
      result.md5 = { present: true, valid }
      if (!valid) problems.push({ code: 'MD5_MISMATCH', severity: 'error', message: `MD5 row mismatch: stored ${hexBytes(stored)}, computed ${hexBytes(computed)}` })
      md5Start = offset + ENTRY_LENGTH
      continue
    }
    if (row[0] !== ENTRY_MAGIC[0] || row[1] !== ENTRY_MAGIC[1]) {
      problems.push({ code: 'BAD_MAGIC', severity: 'error', message: `row ${offset / ENTRY_LENGTH} (byte 0x${offset.toString(16)}) starts with ${hexBytes(row.subarray(0, 2))}, not a partition entry (aa50), an MD5 row (ebeb) or the end marker` })
      return result
    }
    const view = new DataView(row.buffer, row.byteOffset, ENTRY_LENGTH)
    const nameBytes = row.subarray(12, 12 + NAME_LENGTH)
    const nul = nameBytes.indexOf(0)
    const entry: PartitionEntry = {
      name: decoder.decode(nul === -1 ? nameBytes : nameBytes.subarray(0, nul)),
      type: row[2] as number,
      subtype: row[3] as number,
      offset: view.getUint32(4, true),
      size: view.getUint32(8, true),
      flags: view.getUint32(28, true),
    }
    if ((entry.flags & ~KNOWN_FLAG_BITS) !== 0) {
      problems.push({ code: 'UNKNOWN_FLAGS', severity: 'warning', message: `partition "${entry.name}" has unknown flag bits 0x${(entry.flags & ~KNOWN_FLAG_BITS).toString(16).padStart(8, '0')} (a newer format?)` })
    }
    result.entries.push(entry)
  }
  problems.push({ code: 'NO_END_MARKER', severity: bytes.length < TABLE_MAX_LENGTH ? 'warning' : 'error', message: 'the partition table has no end-of-table marker' })
  return result
}

export interface EncodeOptions {
  /** Append the MD5 row (the ESP-IDF default, CONFIG_PARTITION_TABLE_MD5). */
  md5?: boolean
}

/** The 0xC00-byte table gen_esp32part writes. Names longer than 16 bytes are cut, as the generator does. */
export function encodePartitionTable(entries: readonly PartitionEntry[], options: EncodeOptions = {}): Uint8Array {
  const withMd5 = options.md5 ?? true
  const used = entries.length * ENTRY_LENGTH + (withMd5 ? ENTRY_LENGTH : 0)
  if (used >= TABLE_MAX_LENGTH) {
    throw new PairKitError('BAD_INPUT', `${entries.length} partitions do not fit in the table (at most ${Math.floor(TABLE_MAX_LENGTH / ENTRY_LENGTH) - (withMd5 ? 2 : 1)})`, { hint: 'Merge or remove partitions.' })
  }
  const out = new Uint8Array(TABLE_MAX_LENGTH).fill(0xff)
  const view = new DataView(out.buffer)
  const encoder = new TextEncoder()
  entries.forEach((entry, index) => {
    const at = index * ENTRY_LENGTH
    for (const [what, value, max] of [['type', entry.type, 0xff], ['subtype', entry.subtype, 0xff], ['offset', entry.offset, 0xffffffff], ['size', entry.size, 0xffffffff], ['flags', entry.flags, 0xffffffff]] as const) {
      if (!Number.isInteger(value) || value < 0 || value > max) {
        throw new PairKitError('BAD_INPUT', `partition "${entry.name}": ${what} ${value} does not fit in the table entry`)
      }
    }
    out.set(ENTRY_MAGIC, at)
    out[at + 2] = entry.type
    out[at + 3] = entry.subtype
    view.setUint32(at + 4, entry.offset, true)
    view.setUint32(at + 8, entry.size, true)
    out.fill(0, at + 12, at + 12 + NAME_LENGTH)
    out.set(encoder.encode(entry.name).subarray(0, NAME_LENGTH), at + 12)
    view.setUint32(at + 28, entry.flags >>> 0, true)
  })
  if (withMd5) {
    const at = entries.length * ENTRY_LENGTH
    out.set(MD5_MAGIC, at)
    out.set(md5(out.subarray(0, at)), at + 16)
  }
  return out
}
