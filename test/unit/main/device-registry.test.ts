// The device registry: one entry per device whatever the spelling, presence from the port list
// (local) or the last connection (remote), facts from the last probe, busy from the locks, and
// all of it back after a restart.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { PortInfo } from '../../../src/common/contract'
import { defaultConfig, redactConfig } from '../../../src/common/config'
import type { ProbeResult } from '../../../src/common/flasher/probe-result'
import { DeviceLocks } from '../../../src/main/devices/device-locks'
import { DeviceRegistry } from '../../../src/main/devices/device-registry'
import { makeTempDir } from '../../support/temp-dir'

const port = (file: string): PortInfo => ({ path: file, likelyEsp32: true, source: 'extra' })

const probed: ProbeResult = {
  port: 'rfc2217://127.0.0.1:4000',
  chip: 'esp32',
  features: ['WiFi'],
  mac: '02:50:aa:bb:cc:dd',
  flash: { jedecId: '0x1640ef', size: '4MB', sizeBytes: 4 << 20 },
  stub: true,
  baud: 921600,
  notes: [],
  partitionTable: [{ name: 'nvs', type: 1, subtype: 2, offset: 0x9000, size: 0x6000, flags: 0 }],
  apps: [{ partition: 'factory', offset: 0x10000, descriptor: { projectName: 'serverless_mqtt', version: '1.0', idfVersion: 'v5.4', date: 'Jan 1 2025', time: '12:00:00', elfSha256: 'ab'.repeat(32), secureVersion: 0, minEfuseBlockRevision: 0, maxEfuseBlockRevision: 99, mmuPageSizeLog2: 16 } }],
  config: { config: redactConfig({ ...defaultConfig(), pairId: '0123456789abcdef', role: 2 }), stored: ['pairId', 'role', 'staPassword'], problems: [] },
}

describe('device registry', () => {
  it('knows a device once whatever the spelling, and learns from its probe', () => {
    const registry = new DeviceRegistry({ locks: new DeviceLocks() })
    const lists: number[] = []
    registry.onDidChange((list) => lists.push(list.length))
    const first = registry.add('rfc2217://127.0.0.1:4000/')
    const again = registry.add('RFC2217://127.0.0.1:04000')
    expect(again.id).toBe(first.id)
    expect(registry.list()).toHaveLength(1)
    expect(first).toMatchObject({ id: 'rfc2217://127.0.0.1:4000', kind: 'rfc2217', presence: 'unknown' })

    registry.recordConnection('rfc2217://127.0.0.1:4000', true)
    registry.recordProbe('rfc2217://127.0.0.1:4000', { result: probed })
    const device = registry.get('rfc2217://127.0.0.1:4000/')
    expect(device).toMatchObject({ presence: 'reachable', lastProbe: { ok: true }, facts: { chip: 'esp32', mac: '02:50:aa:bb:cc:dd', flashSize: 4 << 20, pairId: '0123456789abcdef', role: 2, firmware: { projectName: 'serverless_mqtt', partition: 'factory' } } })

    registry.recordConnection('rfc2217://127.0.0.1:4000', false, 'nothing listens at rfc2217://127.0.0.1:4000')
    registry.recordProbe('rfc2217://127.0.0.1:4000', { error: { code: 'PORT_NOT_FOUND', message: 'nothing listens' } })
    const gone = registry.get('rfc2217://127.0.0.1:4000')
    // Unreachable is said, and what was learnt before stays (with when).
    expect(gone).toMatchObject({ presence: 'unreachable', presenceDetail: 'nothing listens at rfc2217://127.0.0.1:4000', lastProbe: { ok: false }, facts: { chip: 'esp32' } })
    expect(lists.length).toBeGreaterThanOrEqual(5)
  })

  it('marks a local port present while the system lists it and absent when it goes', () => {
    const registry = new DeviceRegistry({ locks: new DeviceLocks() })
    registry.add('/dev/ttyPK0')
    expect(registry.get('/dev/ttyPK0')?.presence).toBe('absent')
    registry.setPorts([port('/dev/ttyPK0'), port('/dev/ttyPK1')])
    expect(registry.get('/dev/ttyPK0')).toMatchObject({ presence: 'present', usb: { path: '/dev/ttyPK0' } })
    expect(registry.list()).toHaveLength(1) // a listed port is not a known device until it is added
    registry.setPorts([port('/dev/ttyPK1')])
    const absent = registry.get('/dev/ttyPK0')
    expect(absent).toMatchObject({ presence: 'absent' })
    expect(absent?.lastSeen).toBeTypeOf('number')
    expect(absent?.presenceDetail).toMatch(/does not list this port/)
  })

  it('shows what a device is busy with and refuses to forget it meanwhile', () => {
    const locks = new DeviceLocks()
    const registry = new DeviceRegistry({ locks })
    registry.add('socket://127.0.0.1:5000')
    const seen: Array<string | undefined> = []
    registry.onDidChange((list) => seen.push(list[0]?.busy?.operation))
    const lease = locks.acquire('socket://127.0.0.1:5000/', 'provision', 'flash-9')
    expect(registry.get('socket://127.0.0.1:5000')?.busy).toMatchObject({ operation: 'provision', jobId: 'flash-9' })
    expect(() => registry.forget('socket://127.0.0.1:5000')).toThrow(/is being provisioned since/)
    lease.release()
    expect(seen).toEqual(['provision', undefined])
    registry.forget('socket://127.0.0.1:5000')
    expect(registry.list()).toEqual([])
    expect(() => registry.forget('socket://127.0.0.1:5000')).toThrow(/does not know/)
  })

  it('keeps devices and their facts across a restart, remote presence unknown again', () => {
    const dataDir = makeTempDir('pairkit-registry-')
    const first = new DeviceRegistry({ locks: new DeviceLocks(), dataDir })
    first.add('/dev/ttyPK0')
    first.add('rfc2217://127.0.0.1:4000')
    first.recordConnection('rfc2217://127.0.0.1:4000', true)
    first.recordProbe('rfc2217://127.0.0.1:4000', { result: probed })
    first.dispose() // writes what is pending
    expect(JSON.parse(readFileSync(path.join(dataDir, 'devices.json'), 'utf8'))).toMatchObject({ version: 1, devices: [{ id: '/dev/ttyPK0' }, { id: 'rfc2217://127.0.0.1:4000' }] })
    const second = new DeviceRegistry({ locks: new DeviceLocks(), dataDir })
    expect(second.list().map((device) => device.id)).toEqual(['/dev/ttyPK0', 'rfc2217://127.0.0.1:4000'])
    expect(second.get('rfc2217://127.0.0.1:4000')).toMatchObject({ presence: 'unknown', facts: { role: 2, mac: '02:50:aa:bb:cc:dd' } })
    second.dispose()

    // A damaged file is set aside, not lost, and PairKit starts without it.
    writeFileSync(path.join(dataDir, 'devices.json'), '{"version":1,"devices":[{"id":')
    const notes: string[] = []
    const original = console.warn
    console.warn = (message: string) => notes.push(message)
    try {
      expect(new DeviceRegistry({ locks: new DeviceLocks(), dataDir }).list()).toEqual([])
    } finally {
      console.warn = original
    }
    expect(notes.join('\n')).toMatch(/devices\.json: it is not valid JSON; it was renamed to devices\.json\.unreadable-/)
  })
})
