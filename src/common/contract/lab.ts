// The virtual lab: a signalling broker, a STUN server and two twins running PairKit's demo
// firmware as a pair, all on this computer's loopback. One lab per backend at a time.
import { z } from 'zod'
import { SerializedErrorSchema } from '../rpc/messages'
import { BundleSummarySchema } from './flash'

const RoleSchema = z.union([z.literal(1), z.literal(2)])

/** Something the lab started, in the order it started. `pairkit lab --json` prints each as a line. */
export const LabItemSchema = z.discriminatedUnion('kind', [
  /** `down`: staged by a fault scenario, nothing answers at this address. */
  z.object({ kind: z.literal('signalling'), url: z.string(), down: z.literal(true).optional() }),
  z.object({ kind: z.literal('stun'), url: z.string(), down: z.literal(true).optional() }),
  /** The firmware bundle the lab writes, as a build folder under the data folder. */
  z.object({ kind: z.literal('firmware'), path: z.string(), chip: z.string(), app: z.string() }),
  /** A twin: its serial link, the site broker its firmware runs (its IoT network) and its flash file. */
  z.object({ kind: z.literal('twin'), role: RoleSchema, serial: z.string(), mqtt: z.string(), chip: z.string(), flash: z.string() }),
  /** A blank lab's pair, stored with PairKit's pairs (pairs.json) for the technician to commission. */
  z.object({ kind: z.literal('pair'), pairId: z.string(), name: z.string() }),
])
export type LabItem = z.infer<typeof LabItemSchema>

/**
 * running: the firmware runs and the lab does not wait for it (a fault scenario); failed: the
 * twin's step failed (its error says why); blank: its flash is erased, waiting to be commissioned.
 */
export const LabStepSchema = z.enum(['starting', 'flashing', 'provisioning', 'booting', 'connected', 'running', 'failed', 'blank'])
export type LabStep = z.infer<typeof LabStepSchema>

/**
 * The faults the lab can stage, each a way a real pair fails in the field. The lab sets it up
 * (a server not started or stopped, one twin only, or a fault in the twins' firmware) and runs
 * on with it instead of waiting for the pair to connect.
 */
export const LAB_FAULTS = ['stun-unreachable', 'signalling-down', 'peer-missing', 'packet-loss', 'stock-receive-bug', 'boot-loop', 'panic', 'cable-pulled'] as const
export const LabFaultSchema = z.enum(LAB_FAULTS)
export type LabFault = z.infer<typeof LabFaultSchema>

export const LabStateSchema = z.object({
  /**
   * stopped → starting → ready; with a fault, starting → fault (running with the fault, so it
   * can be looked at); failed keeps what went wrong until the next start or stop.
   */
  status: z.enum(['stopped', 'starting', 'ready', 'fault', 'stopping', 'failed']),
  chip: z.string().optional(),
  /** The fault scenario this run stages, if any. */
  fault: LabFaultSchema.optional(),
  /** The pair id the twins were provisioned with (a blank lab: the pair stored for them, to commission). */
  pairId: z.string().optional(),
  /**
   * A blank lab: the twins' flash is erased and the lab's pair is stored with PairKit's pairs;
   * `ready` then means ready to be commissioned (the technician flashes and provisions them).
   */
  blank: z.literal(true).optional(),
  items: z.array(LabItemSchema),
  /** Where each twin is in its way to the pair, by role; a failed twin's detail is the step that failed and its error why. */
  twins: z.array(z.object({ role: RoleSchema, step: LabStepSchema, detail: z.string().optional(), error: SerializedErrorSchema.optional() })),
  startedAt: z.number().optional(),
  readyAt: z.number().optional(),
  error: SerializedErrorSchema.optional(),
})
export type LabState = z.infer<typeof LabStateSchema>

export const LAB_CHIPS = ['esp32', 'esp32s3', 'esp32c3'] as const

export const labRequests = {
  'lab.state': { input: z.object({}).strict(), output: LabStateSchema },
  /** Starts the lab; resolves at once with the starting state (follow lab.changed). */
  'lab.start': { input: z.object({ chip: z.enum(LAB_CHIPS).optional(), fault: LabFaultSchema.optional(), blank: z.boolean().optional() }).strict(), output: LabStateSchema },
  /**
   * Loads the demo firmware of the running lab's chip as the current bundle (the one Flash and
   * Commission use), as if its build folder had been dropped in Flash.
   */
  'lab.loadBundle': { input: z.object({}).strict(), output: BundleSummarySchema },
  /** Ends everything the lab started; resolves once its sockets are closed. */
  'lab.stop': { input: z.object({}).strict(), output: LabStateSchema },
} as const

export const labEvents = {
  'lab.changed': LabStateSchema,
} as const
