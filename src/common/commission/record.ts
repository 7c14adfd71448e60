// A commissioning record: the flow's last state, what it was started with (never a password),
// and its report once written. Kept in the data folder with the pair's other records.
import { z } from 'zod'
import { CommissionReportSchema } from './report'
import { CommissionStateSchema } from './steps'

/** How the flow was started, as it can be shown again (broker addresses with passwords masked). */
export const CommissionInputSchema = z.object({
  bundle: z.object({ name: z.string(), sha256: z.string() }),
  notes: z.string(),
  siteAMqtt: z.string().optional(),
  siteBMqtt: z.string().optional(),
})
export type CommissionInput = z.infer<typeof CommissionInputSchema>

/** Where the report's files were written (absent while there is no report). */
export const ReportFilesSchema = z.object({ dir: z.string(), json: z.string(), html: z.string(), supportBundle: z.string() })
export type ReportFiles = z.infer<typeof ReportFilesSchema>

export const CommissionRecordSchema = z.object({
  state: CommissionStateSchema,
  input: CommissionInputSchema,
  report: CommissionReportSchema.optional(),
  files: ReportFilesSchema.optional(),
})
export type CommissionRecord = z.infer<typeof CommissionRecordSchema>

/** Records kept; the oldest go first (a record with its report is a few tens of KB at most). */
export const MAX_COMMISSION_RECORDS = 200
