import { z } from 'zod'
import { CommissionRecordSchema } from '../commission/record'
import { CommissionReportSchema } from '../commission/report'
import { CommissionStateSchema, CommissionStepIdSchema } from '../commission/steps'
import { DeviceRef } from './devices'

const PairId = z.string().regex(/^[a-z0-9]{8,32}$/)
const MqttUrl = z.string().max(300).regex(/^mqtts?:\/\//, { message: 'must be an mqtt:// address' })

export const commissionRequests = {
  /**
   * Commissions a pair on two devices: checks the loaded bundle against each and flashes where it
   * differs, provisions role 1 on `a` and role 2 on `b`, resets both with their consoles open,
   * watches them boot, sync and connect, runs the bridge test between the site brokers and writes
   * the report. Progress comes as commission.state events. A site broker defaults to the address
   * the device's console announces.
   */
  'commission.start': {
    input: z
      .object({
        a: DeviceRef,
        b: DeviceRef,
        pairId: PairId,
        bundleId: z.string().min(1).max(100),
        siteAMqtt: MqttUrl.optional(),
        siteBMqtt: MqttUrl.optional(),
        notes: z.string().max(10_000).optional(),
      })
      .strict(),
    output: z.object({ commissionId: z.string() }),
  },
  /** Runs a stopped flow again from `from`, by default the step that failed. */
  'commission.resume': {
    input: z.object({ commissionId: z.string().min(1).max(100), from: CommissionStepIdSchema.optional(), notes: z.string().max(10_000).optional() }).strict(),
    output: z.object({}),
  },
  'commission.cancel': { input: z.object({ commissionId: z.string().min(1).max(100) }).strict(), output: z.object({}) },
  /** The records, newest first; of one pair when pairId is given. */
  'commission.records': { input: z.object({ pairId: PairId.optional() }).strict(), output: z.array(CommissionRecordSchema) },
  /** A written report: its JSON and its printable page. */
  'commission.report': {
    input: z.object({ commissionId: z.string().min(1).max(100) }).strict(),
    output: z.object({ report: CommissionReportSchema, html: z.string() }),
  },
  /** A written report's support bundle (.zip, base64): consoles, events, ICE models, redacted settings, the report. */
  'commission.supportBundle': {
    input: z.object({ commissionId: z.string().min(1).max(100) }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string() }),
  },
} as const

export const commissionEvents = {
  /** A flow changed: a step started, ended, or the flow ended. */
  'commission.state': CommissionStateSchema,
} as const
