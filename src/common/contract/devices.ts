import { z } from 'zod'
import { MAX_LINK_LENGTH } from '../devices/device-id'
import { ProbeResultSchema } from '../flasher/probe-result'
import { SerializedErrorSchema } from '../rpc/messages'
import { PortInfoSchema } from './ports'
import { ReadBackSchema } from './config'

/**
 * What a device is doing right now. One operation per device at a time: the backend refuses
 * a second one (error DEVICE_BUSY) and the UI disables the buttons with this as the reason.
 */
export const DeviceOperationSchema = z.enum(['probe', 'flash', 'erase', 'read-flash', 'provision', 'monitor'])
export type DeviceOperation = z.infer<typeof DeviceOperationSchema>

export const DeviceBusySchema = z.object({
  operation: DeviceOperationSchema,
  /** When it started (ms since the epoch). */
  since: z.number(),
  /** The flasher job doing it, when it is one (flash.job events carry the same id). */
  jobId: z.string().optional(),
})
export type DeviceBusy = z.infer<typeof DeviceBusySchema>

/**
 * Whether the device can be reached. A local port is `present` while the system lists it and
 * `absent` otherwise. A socket:// or rfc2217:// link is never polled (a connection may disturb
 * another session on the serial server): it is `reachable` or `unreachable` after the last
 * connection PairKit made, and `unknown` before the first.
 */
export const DevicePresenceSchema = z.enum(['present', 'absent', 'reachable', 'unreachable', 'unknown'])
export type DevicePresence = z.infer<typeof DevicePresenceSchema>

/** The app an app partition holds, from its esp_app_desc_t. */
export const DeviceFirmwareSchema = z.object({
  partition: z.string(),
  projectName: z.string(),
  version: z.string(),
  idfVersion: z.string(),
  date: z.string(),
  time: z.string(),
  /** SHA-256 of the app's ELF file, as the build recorded it (hex). */
  elfSha256: z.string(),
})
export type DeviceFirmware = z.infer<typeof DeviceFirmwareSchema>

/** What the last successful probe learnt; the bridge settings in it are redacted. */
export const DeviceFactsSchema = z.object({
  /** When that probe finished (ms since the epoch). */
  probedAt: z.number(),
  chip: z.string(),
  mac: z.string().optional(),
  /** Flash size in bytes, from the flash chip's id. */
  flashSize: z.number().optional(),
  /** The app that boots: the first app partition holding an ESP-IDF app. */
  firmware: DeviceFirmwareSchema.optional(),
  /** From the bridge settings in the nvs partition, when it holds some. */
  pairId: z.string().optional(),
  role: z.union([z.literal(1), z.literal(2)]).optional(),
  /** Everything the probe found (revision, features, partition table, apps, redacted settings). */
  probe: ProbeResultSchema,
})
export type DeviceFacts = z.infer<typeof DeviceFactsSchema>

export const DeviceSchema = z.object({
  /** The normalised link (src/common/devices/device-id.ts): "/dev/ttyUSB0", "rfc2217://127.0.0.1:4000". */
  id: z.string(),
  kind: z.enum(['local', 'socket', 'rfc2217']),
  presence: DevicePresenceSchema,
  /** Why it is unreachable or absent, in a sentence. */
  presenceDetail: z.string().optional(),
  /** Last time PairKit saw it: listed by the system, or answering a connection (ms since the epoch). */
  lastSeen: z.number().optional(),
  /** The last probe, successful or not. */
  lastProbe: z.object({ at: z.number(), ok: z.boolean(), error: SerializedErrorSchema.optional() }).optional(),
  facts: DeviceFactsSchema.optional(),
  /** The USB port as the system lists it (local ports that are present). */
  usb: PortInfoSchema.optional(),
  busy: DeviceBusySchema.optional(),
})
export type Device = z.infer<typeof DeviceSchema>

/** What a provisioning job's `done` state carries as its `result` (check it with this schema). */
export const ProvisionResultSchema = z.object({
  /** The partition written: the device's data/nvs partition, read from its partition table. */
  partition: z.object({ name: z.string(), offset: z.number(), size: z.number() }),
  /** The image written: as large as the partition (empty pages 0xFF), verified by this MD5. */
  bytes: z.number(),
  md5: z.string(),
  /** The partition's 4 KiB blocks, and how many were written: 0 when the device already held these settings. */
  blocks: z.number().optional(),
  written: z.number().optional(),
  /** When provisioned from a pair. */
  pair: z.object({ pairId: z.string(), role: z.union([z.literal(1), z.literal(2)]) }).optional(),
  /** The settings read back from the partition after writing, compared with the pair's intended side. */
  readBack: ReadBackSchema,
  /** The probe after the reset; absent when it failed (see reprobeError) or with noReset. */
  probe: ProbeResultSchema.optional(),
  reprobeError: SerializedErrorSchema.optional(),
  deviceState: z.string(),
})
export type ProvisionResult = z.infer<typeof ProvisionResultSchema>

/** An id or any spelling of a link: the backend normalises it. */
export const DeviceRef = z.string().min(1).max(MAX_LINK_LENGTH)
const PairId = z.string().regex(/^[a-z0-9]{8,32}$/)

export const devicesRequests = {
  /** Every known device, in the order they became known. */
  'devices.list': { input: z.object({}).strict(), output: z.array(DeviceSchema) },
  /** Makes a link a known device (nothing is sent to it); adding it again returns the same device. */
  'devices.add': { input: z.object({ link: DeviceRef }).strict(), output: DeviceSchema },
  /** Forgets a device and what PairKit learnt about it (refused while it is busy). Its history stays. */
  'devices.forget': { input: z.object({ deviceId: DeviceRef }).strict(), output: z.object({}) },
  /** Probes a device (adding it when new); progress and the result come as flash.job events. */
  'devices.probe': { input: z.object({ deviceId: DeviceRef }).strict(), output: z.object({ jobId: z.string() }) },
  /**
   * Writes a pair's settings for role 1 (site A) or 2 (site B) into the device's nvs partition,
   * verifies, resets (unless noReset) and probes again. Refused before anything is written when
   * the pair's passwords are not available, or the device has no nvs partition large enough.
   * Progress comes as flash.job events (operation "provision"); the result is a ProvisionResult.
   */
  'devices.provision': {
    input: z.object({ deviceId: DeviceRef, pairId: PairId, role: z.union([z.literal(1), z.literal(2)]), noReset: z.boolean().optional() }).strict(),
    output: z.object({ jobId: z.string() }),
  },
} as const

export const devicesEvents = {
  /** The whole list, after any device changed (presence, facts, busy). */
  'devices.changed': z.array(DeviceSchema),
} as const
