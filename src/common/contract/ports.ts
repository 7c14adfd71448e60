import { z } from 'zod'

/** One serial port as the backend sees it, with the USB bridge identified. */
export const PortInfoSchema = z.object({
  path: z.string(),
  /** USB vendor id as 4 lowercase hex digits, when the port is on USB. */
  vendorId: z.string().optional(),
  productId: z.string().optional(),
  manufacturer: z.string().optional(),
  serialNumber: z.string().optional(),
  /** The bridge chip, e.g. "Silicon Labs CP210x", when known. */
  bridge: z.string().optional(),
  likelyEsp32: z.boolean(),
  /** How the port was found: the system's enumeration, or a watched extra path (PAIRKIT_EXTRA_PORTS). */
  source: z.enum(['system', 'extra']),
})
export type PortInfo = z.infer<typeof PortInfoSchema>

export const portsRequests = {
  'ports.list': { input: z.object({}).strict(), output: z.array(PortInfoSchema) },
} as const

export const portsEvents = {
  /** The whole list, after any port appeared or went away. */
  'ports.changed': z.array(PortInfoSchema),
} as const
