// The commissioning records: commissioning.json in the data folder, next to pairs.json and
// history.json, each record with its flow's state and its report; the report's files (JSON,
// HTML, support bundle) in records/<pair>/<commissioning>/. Without a data folder they last
// for this run only.
import path from 'node:path'
import { z } from 'zod'
import { CommissionRecordSchema, MAX_COMMISSION_RECORDS, type CommissionRecord } from '../../common/commission/record'
import { readJsonFile, writeJsonFile } from '../state/json-file'

export const COMMISSION_FILE = 'commissioning.json'
/** The folder of the pairs' report files, in the data folder. */
export const RECORDS_FOLDER = 'records'

const CommissionFileSchema = z.object({ version: z.literal(1), records: z.array(CommissionRecordSchema).max(MAX_COMMISSION_RECORDS) })

export class CommissionStore {
  private readonly records: CommissionRecord[]

  constructor(private readonly dataDir?: string) {
    this.records = (this.file ? readJsonFile(this.file, CommissionFileSchema)?.records : undefined) ?? []
    // A flow that was running when PairKit stopped did not finish: it can be resumed.
    for (const record of this.records) {
      if (record.state.status !== 'running') continue
      record.state = { ...record.state, status: 'failed', steps: record.state.steps.map((step) => (step.status === 'running' ? { ...step, status: 'failed', error: { code: 'UNAVAILABLE', message: 'PairKit stopped while this step ran' } } : step)) }
    }
  }

  /** Where a pair's report files go by default. */
  reportDir(pairId: string, commissionId: string): string | undefined {
    return this.dataDir ? path.join(this.dataDir, RECORDS_FOLDER, pairId, commissionId) : undefined
  }

  get(commissionId: string): CommissionRecord | undefined {
    return this.records.find((record) => record.state.commissionId === commissionId)
  }

  /** Newest first; one pair's when given. */
  list(pairId?: string): CommissionRecord[] {
    return this.records.filter((record) => pairId === undefined || record.state.pairId === pairId).reverse()
  }

  /** Adds or replaces the record (by commissioning id) and saves. */
  put(record: CommissionRecord): void {
    const at = this.records.findIndex((kept) => kept.state.commissionId === record.state.commissionId)
    if (at >= 0) this.records[at] = record
    else this.records.push(record)
    if (this.records.length > MAX_COMMISSION_RECORDS) this.records.splice(0, this.records.length - MAX_COMMISSION_RECORDS)
    this.save()
  }

  private save(): void {
    if (!this.file) return
    try {
      writeJsonFile(this.file, { version: 1, records: this.records })
    } catch (error) {
      console.warn(`PairKit could not save the commissioning records to ${this.file}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  private get file(): string | undefined {
    return this.dataDir ? path.join(this.dataDir, COMMISSION_FILE) : undefined
  }
}
