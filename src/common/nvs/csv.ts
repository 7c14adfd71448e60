// The CSV dialect of Espressif's nvs_partition_gen: Python's csv.DictReader (excel dialect)
// over the file's lines, after dropping every physical line that starts with "#" — even a
// line inside a quoted multi-line value, as the generator does. The header row names the
// columns (key, type, encoding, value), so their order is free.
import { PairKitError } from '../errors'

export type NvsRowType = 'namespace' | 'data' | 'file'

export interface NvsCsvRow {
  key: string
  type: NvsRowType
  /** Empty for namespace rows. */
  encoding: string
  /** The text value, or for `file` rows the file's path. */
  value: string
  /** 1-based line in the CSV where the row starts (0 for rows built in code). */
  line: number
}

const REQUIRED_COLUMNS = ['key', 'type', 'encoding', 'value'] as const
const ROW_TYPES: readonly NvsRowType[] = ['namespace', 'data', 'file']

export function parseNvsCsv(text: string): NvsCsvRow[] {
  // Assumption: a UTF-8 BOM is dropped (the generator would treat it as part of "key").
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  const lines = normalized.split(/(?<=\n)/)
  const kept: { text: string; line: number }[] = []
  lines.forEach((line, index) => {
    if (line.length > 0 && !line.startsWith('#')) kept.push({ text: line, line: index + 1 })
  })
  const records = parseRecords(kept)
  const header = records.shift()
  if (!header) throw new PairKitError('BAD_INPUT', 'the NVS CSV is empty: it needs the header row "key,type,encoding,value"')
  const columns = header.fields
  for (const name of REQUIRED_COLUMNS) {
    if (!columns.includes(name)) {
      throw new PairKitError('BAD_INPUT', `the NVS CSV header (line ${header.line}) has no "${name}" column; it must be "key,type,encoding,value"`)
    }
  }
  const rows: NvsCsvRow[] = []
  for (const record of records) {
    const get = (name: string): string | undefined => {
      const index = columns.indexOf(name)
      return record.fields[index]
    }
    const key = get('key')
    const type = get('type')
    if (key === undefined || type === undefined) {
      throw new PairKitError('BAD_INPUT', `line ${record.line} of the NVS CSV has too few columns; each row needs key,type,encoding,value`)
    }
    // Divergence: the generator writes any other type as data; we refuse it so typos surface.
    if (!(ROW_TYPES as readonly string[]).includes(type)) {
      throw new PairKitError('BAD_INPUT', `line ${record.line}: type "${type}" is not one of namespace, data, file`)
    }
    rows.push({ key, type: type as NvsRowType, encoding: get('encoding') ?? '', value: get('value') ?? '', line: record.line })
  }
  return rows
}

interface CsvRecord {
  fields: string[]
  line: number
}

/** Python csv reader, excel dialect, non-strict: quotes double as escapes; text after a closing quote joins the field. */
function parseRecords(lines: { text: string; line: number }[]): CsvRecord[] {
  const records: CsvRecord[] = []
  let fields: string[] = []
  let field = ''
  // Widened on purpose: endField/endRecord change it from closures, which narrowing cannot see.
  let state = 'start-record' as 'start-record' | 'start-field' | 'in-field' | 'in-quoted' | 'quote-in-quoted'
  let recordLine = 0
  const endField = () => {
    fields.push(field)
    field = ''
    state = 'start-field'
  }
  const endRecord = () => {
    fields.push(field)
    field = ''
    records.push({ fields, line: recordLine })
    fields = []
    state = 'start-record'
  }
  for (const { text, line } of lines) {
    for (const char of text) {
      switch (state) {
        case 'start-record':
        case 'start-field':
          if (state === 'start-record') {
            recordLine = line
            if (char === '\n') continue // blank line: csv yields [], which DictReader skips
          }
          if (char === '\n') endRecord()
          else if (char === '"') state = 'in-quoted'
          else if (char === ',') endField() // field is still empty here
          else {
            field += char
            state = 'in-field'
          }
          break
        case 'in-field':
          if (char === '\n') endRecord()
          else if (char === ',') endField()
          else field += char
          break
        case 'in-quoted':
          if (char === '"') state = 'quote-in-quoted'
          else field += char
          break
        case 'quote-in-quoted':
          if (char === '"') {
            field += '"'
            state = 'in-quoted'
          } else if (char === ',') endField()
          else if (char === '\n') endRecord()
          else {
            field += char
            state = 'in-field'
          }
          break
      }
    }
  }
  if (state === 'in-quoted') throw new PairKitError('BAD_INPUT', `the quoted value that starts on line ${recordLine} of the NVS CSV is never closed`)
  if (state !== 'start-record') endRecord()
  return records
}

/** Writes rows back in the same dialect (quoting only where needed, like Python's csv writer). */
export function formatNvsCsv(rows: readonly Omit<NvsCsvRow, 'line'>[]): string {
  const quote = (value: string): string => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)
  const lines = ['key,type,encoding,value']
  for (const row of rows) {
    if (row.key.startsWith('#')) throw new PairKitError('BAD_INPUT', `the key "${row.key}" starts with "#", which the NVS CSV format reads as a comment`)
    if (/\n#/.test(row.value)) {
      throw new PairKitError('BAD_INPUT', `the value of "${row.key}" has a line starting with "#", which the NVS CSV format would drop as a comment`)
    }
    lines.push([row.key, row.type, row.encoding, row.value].map(quote).join(','))
  }
  return lines.join('\n') + '\n'
}
