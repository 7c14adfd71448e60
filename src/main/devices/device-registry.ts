// The devices PairKit knows: each by its id (the normalised link), with what the last probe
// learnt, whether it can be reached, and what it is doing now. Every view reads this one
// list (devices.list, devices.changed), so a device probed in Devices is a target in Flash.
//
// Presence: a local port is present while the PortWatcher lists it. A socket:// or
// rfc2217:// link is never contacted in the background (a connection may disturb a session
// on the serial server or the twin): it is reachable or unreachable after the last job that
// tried, and unknown after a restart until one does.
//
// Kept in devices.json in the data folder (facts carry redacted settings only), so devices
// survive a reload and a restart.
import path from 'node:path'
import { z } from 'zod'
import type { PortInfo } from '../../common/contract'
import { DeviceFactsSchema, type Device, type DeviceFacts } from '../../common/contract/devices'
import { parseDeviceLink } from '../../common/devices/device-id'
import { PairKitError, type SerializedError } from '../../common/errors'
import { Emitter, type Event } from '../../common/event'
import { Disposable, toDisposable } from '../../common/lifecycle'
import { SerializedErrorSchema } from '../../common/rpc/messages'
import { readJsonFile, writeJsonFile } from '../state/json-file'
import { factsFromProbe } from './device-facts'
import { busyError, type DeviceLocks } from './device-locks'
import type { ProbeResult } from '../../common/flasher/probe-result'

export const DEVICES_FILE = 'devices.json'
/** Far more boards than a bench holds; a runaway client cannot grow the file without end. */
export const MAX_DEVICES = 256
/** Changes are written at most this often (a port scan may change several devices at once). */
const SAVE_DELAY_MS = 200

const DeviceRecordSchema = z.object({
  id: z.string().max(300),
  addedAt: z.number(),
  lastSeen: z.number().optional(),
  lastProbe: z.object({ at: z.number(), ok: z.boolean(), error: SerializedErrorSchema.optional() }).optional(),
  facts: DeviceFactsSchema.optional(),
  /** Remote links: the outcome of the last connection PairKit made in this run. */
  reachable: z.boolean().optional(),
  presenceDetail: z.string().max(500).optional(),
})
type DeviceRecord = z.infer<typeof DeviceRecordSchema>

const DevicesFileSchema = z.object({ version: z.literal(1), devices: z.array(DeviceRecordSchema).max(MAX_DEVICES) })

export interface DeviceRegistryOptions {
  locks: DeviceLocks
  /** The data folder; none keeps devices in memory for this run. */
  dataDir?: string
  now?: () => number
}

export class DeviceRegistry extends Disposable {
  private readonly records = new Map<string, DeviceRecord>()
  private readonly ports = new Map<string, PortInfo>()
  private readonly _onDidChange = this.register(new Emitter<Device[]>())
  /** The whole list after any change (presence, facts, busy, added, forgotten). */
  readonly onDidChange: Event<Device[]> = this._onDidChange.event
  private saveTimer: ReturnType<typeof setTimeout> | undefined
  private readonly now: () => number

  constructor(private readonly options: DeviceRegistryOptions) {
    super()
    this.now = options.now ?? Date.now
    const file = this.file
    for (const record of (file ? readJsonFile(file, DevicesFileSchema)?.devices : undefined) ?? []) {
      try {
        // Stored by another version with other rules: keep it under today's id.
        const id = parseDeviceLink(record.id).id
        // What a remote link was like in an earlier run says nothing about now.
        delete record.reachable
        delete record.presenceDetail
        this.records.set(id, { ...record, id })
      } catch {
        // Not a link any more: dropped.
      }
    }
    this.register(options.locks.onDidChange((id) => this.records.has(id) && this.changed(false)))
    this.register(toDisposable(() => this.flush()))
  }

  list(): Device[] {
    return [...this.records.values()].sort((a, b) => a.addedAt - b.addedAt || a.id.localeCompare(b.id)).map((record) => this.view(record))
  }

  get(link: string): Device | undefined {
    const record = this.records.get(parseDeviceLink(link).id)
    return record ? this.view(record) : undefined
  }

  /** Makes the link a known device (any spelling); adding a known one returns it unchanged. */
  add(link: string): Device {
    const { id } = parseDeviceLink(link)
    let record = this.records.get(id)
    if (!record) {
      if (this.records.size >= MAX_DEVICES) {
        throw new PairKitError('BAD_INPUT', `PairKit already knows ${MAX_DEVICES} devices`, { hint: 'Forget devices you no longer use, then add this one.' })
      }
      record = { id, addedAt: this.now() }
      if (this.ports.has(id)) record.lastSeen = this.now()
      this.records.set(id, record)
      this.changed()
    }
    return this.view(record)
  }

  /** Forgets the device and what was learnt about it; refused while an operation runs on it. */
  forget(link: string): void {
    const { id } = parseDeviceLink(link)
    const busy = this.options.locks.busy(id)
    if (busy) throw busyError(id, busy)
    if (!this.records.delete(id)) throw new PairKitError('NOT_FOUND', `PairKit does not know ${id}`, { hint: 'Refresh the list of devices.' })
    this.changed()
  }

  /** The system's serial ports now: local devices among them are present, the others absent. */
  setPorts(ports: readonly PortInfo[]): void {
    const before = new Set(this.ports.keys())
    this.ports.clear()
    for (const port of ports) {
      try {
        this.ports.set(parseDeviceLink(port.path).id, port)
      } catch {
        // A path the system lists that is no link (never seen in practice): not a device.
      }
    }
    const at = this.now()
    let changed = false
    for (const record of this.records.values()) {
      const was = before.has(record.id)
      const is = this.ports.has(record.id)
      if (was !== is) {
        record.lastSeen = at
        changed = true
      }
    }
    if (changed) this.changed()
  }

  /** A job reached the device (it answered) or could not (the link did not open or went away). */
  recordConnection(link: string, reachable: boolean, detail?: string): void {
    const record = this.records.get(parseDeviceLink(link).id)
    if (!record) return
    if (reachable) record.lastSeen = this.now()
    if (parseDeviceLink(record.id).kind !== 'local') {
      record.reachable = reachable
      if (detail && !reachable) record.presenceDetail = detail
      else delete record.presenceDetail
    }
    this.changed()
  }

  /** The outcome of a probe (also the one after a flash or a provisioning). */
  recordProbe(link: string, outcome: { result: ProbeResult } | { error: SerializedError }): void {
    const record = this.records.get(parseDeviceLink(link).id)
    if (!record) return
    const at = this.now()
    if ('result' in outcome) {
      record.facts = factsFromProbe(outcome.result, at)
      record.lastProbe = { at, ok: true }
      record.lastSeen = at
    } else {
      record.lastProbe = { at, ok: false, error: outcome.error }
    }
    this.changed()
  }

  facts(link: string): DeviceFacts | undefined {
    return this.records.get(parseDeviceLink(link).id)?.facts
  }

  /** Writes pending changes now (also on dispose). */
  flush(): void {
    if (this.saveTimer === undefined) return
    clearTimeout(this.saveTimer)
    this.saveTimer = undefined
    this.save()
  }

  private view(record: DeviceRecord): Device {
    const { kind } = parseDeviceLink(record.id)
    const port = this.ports.get(record.id)
    const busy = this.options.locks.busy(record.id)
    const device: Device = { id: record.id, kind, presence: 'unknown' }
    if (kind === 'local') {
      device.presence = port ? 'present' : 'absent'
      if (!port) device.presenceDetail = 'the system does not list this port: check the USB cable'
    } else if (record.reachable !== undefined) {
      device.presence = record.reachable ? 'reachable' : 'unreachable'
      if (record.presenceDetail) device.presenceDetail = record.presenceDetail
    }
    if (record.lastSeen !== undefined) device.lastSeen = record.lastSeen
    if (record.lastProbe) device.lastProbe = record.lastProbe
    if (record.facts) device.facts = record.facts
    if (port) device.usb = port
    if (busy) device.busy = busy
    return device
  }

  private changed(persist = true): void {
    if (persist && this.file) {
      this.saveTimer ??= setTimeout(() => {
        this.saveTimer = undefined
        this.save()
      }, SAVE_DELAY_MS)
      this.saveTimer.unref?.()
    }
    this._onDidChange.fire(this.list())
  }

  private save(): void {
    const file = this.file
    if (!file) return
    try {
      writeJsonFile(file, { version: 1, devices: [...this.records.values()] })
    } catch (error) {
      console.warn(`PairKit could not save the devices to ${file}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  private get file(): string | undefined {
    return this.options.dataDir ? path.join(this.options.dataDir, DEVICES_FILE) : undefined
  }
}
