// The virtual lab: a signalling broker, a STUN server and two twins running PairKit's demo
// firmware as a pair, all on this computer's loopback. One lab per backend at a time.
import { z } from 'zod'
import { SerializedErrorSchema } from '../rpc/messages'

const RoleSchema = z.union([z.literal(1), z.literal(2)])

/** Something the lab started, in the order it started. `pairkit lab --json` prints each as a line. */
export const LabItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('signalling'), url: z.string() }),
  z.object({ kind: z.literal('stun'), url: z.string() }),
  /** The firmware bundle the lab writes, as a build folder under the data folder. */
  z.object({ kind: z.literal('firmware'), path: z.string(), chip: z.string(), app: z.string() }),
  /** A twin: its serial link, the site broker its firmware runs (its IoT network) and its flash file. */
  z.object({ kind: z.literal('twin'), role: RoleSchema, serial: z.string(), mqtt: z.string(), chip: z.string(), flash: z.string() }),
])
export type LabItem = z.infer<typeof LabItemSchema>

export const LabStepSchema = z.enum(['starting', 'flashing', 'provisioning', 'booting', 'connected'])
export type LabStep = z.infer<typeof LabStepSchema>

export const LabStateSchema = z.object({
  /** stopped → starting → ready; failed keeps what went wrong until the next start or stop. */
  status: z.enum(['stopped', 'starting', 'ready', 'stopping', 'failed']),
  chip: z.string().optional(),
  /** The pair id the twins were provisioned with. */
  pairId: z.string().optional(),
  items: z.array(LabItemSchema),
  /** Where each twin is in its way to the pair, by role. */
  twins: z.array(z.object({ role: RoleSchema, step: LabStepSchema, detail: z.string().optional() })),
  startedAt: z.number().optional(),
  readyAt: z.number().optional(),
  error: SerializedErrorSchema.optional(),
})
export type LabState = z.infer<typeof LabStateSchema>

export const LAB_CHIPS = ['esp32', 'esp32s3', 'esp32c3'] as const

export const labRequests = {
  'lab.state': { input: z.object({}).strict(), output: LabStateSchema },
  /** Starts the lab; resolves at once with the starting state (follow lab.changed). */
  'lab.start': { input: z.object({ chip: z.enum(LAB_CHIPS).optional() }).strict(), output: LabStateSchema },
  /** Ends everything the lab started; resolves once its sockets are closed. */
  'lab.stop': { input: z.object({}).strict(), output: LabStateSchema },
} as const

export const labEvents = {
  'lab.changed': LabStateSchema,
} as const
