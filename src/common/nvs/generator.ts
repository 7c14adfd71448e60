// nvs_partition_gen's "generate" command: CSV rows → a partition image, byte-identical to
// esp-idf-nvs-partition-gen v0.2.0 for the same CSV, size and --version.
import { LARGEST_FLASH_BYTES } from '../bundle/flash-settings'
import { PairKitError } from '../errors'
import { INTEGER_TYPES, KEY_MAX_LENGTH, PAGE_SIZE, type IntegerTypeName } from './constants'
import { parseNvsCsv, type NvsCsvRow } from './csv'
import { NvsImageBuilder } from './image-builder'
import { pbkdf2Sha1 } from './pbkdf2-sha1'
import { base64ToBytes, bytesToHex, hexToBytes, parseInteger, utf8Bytes } from './value-encodings'

export interface NvsGenerateOptions {
  /** 2 (default): multi-page blobs; 1: single-entry BLOB items on version-1 pages. */
  version?: 1 | 2
  /** Reads a `file` row's file; paths come from the CSV as written (the CLI resolves them like the generator, from the working directory). */
  readFile?: (path: string) => Uint8Array
}

export interface NvsGenerateResult {
  image: Uint8Array
  /** Under 0x3000 the generator keeps no spare page: the partition must be flagged readonly. */
  readOnly: boolean
}

export const NVS_ENCODINGS = ['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'u64', 'i64', 'string', 'hex2bin', 'base64', 'binary'] as const

/** Sizes as the generator takes them: decimal, 0x…, 0o… or 0b…; at most the largest flash. */
export function parseNvsSize(text: string): number {
  const trimmed = text.trim().replace(/_/g, '')
  const size = /^0[xX][0-9a-fA-F]+$|^0[oO][0-7]+$|^0[bB][01]+$|^\d+$/.test(trimmed) ? Number(trimmed.replace(/^0[oO]/, '0o')) : NaN
  if (!Number.isSafeInteger(size)) {
    throw new PairKitError('USAGE', `"${text}" is not a partition size; give bytes, e.g. 0x6000 or 24576, at most ${largestFlash()}`)
  }
  if (size > LARGEST_FLASH_BYTES) {
    throw new PairKitError('USAGE', `the partition size ${text} is larger than the largest flash, ${largestFlash()}; give the nvs partition's size, e.g. 0x6000`)
  }
  return size
}

function largestFlash(): string {
  return `0x${LARGEST_FLASH_BYTES.toString(16)} (${LARGEST_FLASH_BYTES / 0x100000} MB)`
}

export function generateNvsFromCsv(csvText: string, size: number, options: NvsGenerateOptions = {}): NvsGenerateResult {
  return generateNvsPartition(parseNvsCsv(csvText), size, options)
}

export function generateNvsPartition(rows: readonly NvsCsvRow[], size: number, options: NvsGenerateOptions = {}): NvsGenerateResult {
  if (!Number.isSafeInteger(size) || size % PAGE_SIZE !== 0) {
    throw new PairKitError('BAD_INPUT', `the NVS partition size ${size} is not a multiple of 4096 (0x1000)`)
  }
  if (size < PAGE_SIZE) throw new PairKitError('BAD_INPUT', `the NVS partition size ${size} is under the minimum 0x1000 (read-only) or 0x3000 (read-write)`)
  if (size > LARGEST_FLASH_BYTES) throw new PairKitError('BAD_INPUT', `the NVS partition size 0x${size.toString(16)} is larger than the largest flash, ${largestFlash()}`)
  // One page is held back as the firmware's spare; below 3 pages there is none (read-only partition).
  const readOnly = size - PAGE_SIZE < 2 * PAGE_SIZE
  const builder = new NvsImageBuilder(readOnly ? size : size - PAGE_SIZE, options.version ?? 2, readOnly)
  const writer = new RowWriter(builder, options)
  for (const row of rows) writer.write(row)
  return { image: builder.finish(), readOnly }
}

/** Applies rows in order, including the generator's hidden Wi-Fi entries. */
class RowWriter {
  private staExtrasWritten = false
  private apSsid: string | undefined
  private apPassword: string | undefined
  private apAuthmode: string | undefined

  constructor(
    private readonly builder: NvsImageBuilder,
    private readonly options: NvsGenerateOptions,
  ) {}

  write(row: NvsCsvRow): void {
    const where = row.line > 0 ? `line ${row.line} ("${row.key}")` : `"${row.key}"`
    const key = keyBytes(row.key, where)
    // Generator quirk: ap.ssid + ap.passwd + ap.authmode ≠ 0 add an ap.pmk_info blob (100 zero
    // bytes + PBKDF2-SHA1 PMK), written before the row that completes the set — and again for
    // every later row of the three.
    if (row.key === 'ap.ssid') this.apSsid = row.value
    if (row.key === 'ap.passwd') this.apPassword = row.value
    if (row.key === 'ap.authmode' && row.value !== '0') this.apAuthmode = row.value
    if (['ap.ssid', 'ap.passwd', 'ap.authmode'].includes(row.key) && this.apSsid && this.apPassword && this.apAuthmode) {
      const pmk = pbkdf2Sha1(utf8Bytes(this.apPassword), utf8Bytes(this.apSsid), 4096, 32)
      this.writeData(keyBytes('ap.pmk_info', where), '0'.repeat(200) + bytesToHex(pmk), 'hex2bin', where)
    }
    // Generator quirk: the first sta.ssid or sta.pswd row also adds sta.apinfo, sta.pmk and
    // sta.apsw; these rows never read a file, even as `file` rows.
    if (row.key === 'sta.ssid' || row.key === 'sta.pswd') {
      this.writeData(key, row.value, row.encoding, where)
      if (!this.staExtrasWritten) {
        this.writeData(keyBytes('sta.apinfo', where), 'f'.repeat(280), 'hex2bin', where)
        this.writeData(keyBytes('sta.pmk', where), '0'.repeat(64), 'hex2bin', where)
        this.writeData(keyBytes('sta.apsw', where), '0000', 'hex2bin', where)
        this.staExtrasWritten = true
      }
      return
    }
    if (row.type === 'namespace') {
      this.builder.writeNamespace(key, row.key)
      return
    }
    let value: string | Uint8Array = row.value
    if (row.type === 'file') {
      if (!this.options.readFile) throw new PairKitError('BAD_INPUT', `${where}: a file row needs file access, which this caller did not give`)
      try {
        value = this.options.readFile(row.value)
      } catch (error) {
        if (error instanceof PairKitError) throw error
        throw new PairKitError('NOT_FOUND', `${where}: cannot read the file "${row.value}" (${error instanceof Error ? error.message : String(error)})`)
      }
    }
    this.writeData(key, value, row.encoding, where)
  }

  private writeData(key: Uint8Array, value: string | Uint8Array, rawEncoding: string, where: string): void {
    const namespaceIndex = this.builder.dataNamespaceIndex
    // Divergence: the generator would write such a row with namespace index 0, the namespace table itself.
    if (namespaceIndex === 0) throw new PairKitError('BAD_INPUT', `${where}: a data row comes before any namespace row`)
    let encoding = rawEncoding
    const fill = /^(blob_fill|blob_sz_fill)\((\d+);(0x[0-9a-fA-F]{2})\)/.exec(encoding) // re.match: anchored at the start only
    if (encoding.startsWith('blob_fill') || encoding.startsWith('blob_sz_fill')) {
      if (!fill) throw new PairKitError('BAD_INPUT', `${where}: "${encoding}" is not blob_fill(N;0xPP) or blob_sz_fill(N;0xPP)`)
      value = fillBlob(textOf(value, where), fill[1] === 'blob_sz_fill', Number(fill[2]), Number(fill[3]), where)
      encoding = 'binary'
    }
    // Assumption: encodings are matched case-insensitively (the generator lower-cases only after converting).
    encoding = encoding.toLowerCase()
    if (encoding in INTEGER_TYPES) {
      const type = encoding as IntegerTypeName
      this.builder.writeIntegerItem(namespaceIndex, key, parseInteger(textOf(value, where), type, where), type)
      return
    }
    switch (encoding) {
      case 'string':
        this.builder.writeVariableItem(namespaceIndex, key, utf8Bytes(textOf(value, where) + '\0'), 'string', where)
        return
      case 'hex2bin':
        this.builder.writeVariableItem(namespaceIndex, key, hexToBytes(textOf(value, where, true), where), 'blob', where)
        return
      case 'base64':
        this.builder.writeVariableItem(namespaceIndex, key, base64ToBytes(textOf(value, where, true), where), 'blob', where)
        return
      case 'binary':
        // Assumption: text given as `binary` is stored as its UTF-8 bytes (the generator sizes it in characters).
        this.builder.writeVariableItem(namespaceIndex, key, typeof value === 'string' ? utf8Bytes(value) : value, 'blob', where)
        return
      default:
        throw new PairKitError('BAD_INPUT', `${where}: encoding "${rawEncoding}" is not one of ${NVS_ENCODINGS.join(', ')}`)
    }
  }
}

function keyBytes(key: string, where: string): Uint8Array {
  // The generator counts characters; NVS needs at most 15 bytes, so keys must be ASCII.
  if (!/^[\x20-\x7e]*$/.test(key)) throw new PairKitError('BAD_INPUT', `${where}: key "${key}" must use plain ASCII characters`)
  if (key.length > KEY_MAX_LENGTH) throw new PairKitError('BAD_INPUT', `${where}: key "${key}" is ${key.length} characters; NVS keys hold at most ${KEY_MAX_LENGTH}`)
  return utf8Bytes(key)
}

/** File contents are text for every encoding except binary (`latin1` keeps hex/base64 bytes as they are). */
function textOf(value: string | Uint8Array, where: string, latin1 = false): string {
  if (typeof value === 'string') return value
  try {
    return new TextDecoder(latin1 ? 'latin1' : 'utf-8', { fatal: true }).decode(value)
  } catch {
    throw new PairKitError('BAD_INPUT', `${where}: the file is not valid UTF-8 text`)
  }
}

function fillBlob(text: string, withSize: boolean, length: number, padding: number, where: string): Uint8Array {
  const bytes = utf8Bytes(text)
  if (bytes.length > length) throw new PairKitError('BAD_INPUT', `${where}: the value is ${bytes.length} bytes, longer than the ${length} the encoding allows`)
  const prefix = withSize ? 4 : 0
  const out = new Uint8Array(prefix + length).fill(padding)
  if (withSize) new DataView(out.buffer).setUint32(0, bytes.length, true)
  out.set(bytes, prefix)
  return out
}
