// A known device in the technician's words: presence, what it is doing, its side of the pair.
import { describe, expect, it } from 'vitest'
import type { Device } from '../../../src/common/contract'
import { busyReason, deviceLine, firmwareText, presenceView, roleName, siteLetter } from '../../../src/renderer/src/data/device-view'

const probed: Device = {
  id: 'rfc2217://127.0.0.1:4000', kind: 'rfc2217', presence: 'reachable',
  facts: { probedAt: 1, chip: 'esp32', mac: '02:50:aa:bb:cc:dd', role: 2, pairId: '5f0c2a9e81d3b7a4', probe: { port: 'x', chip: 'esp32', features: [], stub: true, baud: 115200, notes: [], partitionTable: [] } },
}

describe('device view', () => {
  it('says whether a device can be reached, in words, with why it cannot', () => {
    expect(presenceView({ presence: 'absent', presenceDetail: 'the system does not list this port: check the USB cable' })).toEqual({ label: 'unplugged', tone: 'danger', detail: 'the system does not list this port: check the USB cable' })
    expect(presenceView({ presence: 'unknown' })).toEqual({ label: 'not contacted yet', tone: 'neutral' })
  })

  it('gives the reason the buttons are disabled while the device is busy', () => {
    const since = new Date(2030, 0, 1, 14, 2, 33).getTime()
    expect(busyReason({ operation: 'flash', since }, since)).toMatch(/^Being flashed since 14:02:33|^Being flashed since 02:02:33 PM/)
    expect(busyReason({ operation: 'provision', since }, since)).toMatch(/^Getting pair settings since/)
  })

  it('names role 1 site A and role 2 site B, as the pair wizard does', () => {
    expect(siteLetter(1)).toBe('A')
    expect(roleName(2)).toBe('site B (role 2)')
  })

  it('tells devices apart in one line: link, chip, MAC and side', () => {
    expect(deviceLine(probed)).toBe('rfc2217://127.0.0.1:4000 · esp32 · 02:50:aa:bb:cc:dd · site B')
    expect(deviceLine({ id: '/dev/ttyUSB0', kind: 'local', presence: 'present' })).toBe('/dev/ttyUSB0')
  })

  it('says what a device runs, or why nothing', () => {
    expect(firmwareText({ id: 'x', kind: 'local', presence: 'present' })).toBe('not probed yet')
    expect(firmwareText(probed)).toBe('no app found')
    expect(firmwareText({ ...probed, facts: { ...probed.facts!, probe: { ...probed.facts!.probe, partitionTable: undefined } } })).toMatch(/^none \(no partition table/)
  })
})
