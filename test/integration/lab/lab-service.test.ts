// LabService in the backend's process, as the Lab view drives it: start, the state on the way
// and when ready, a second start refused, and stop leaving no server, socket or timer of the
// lab behind (the twins' firmware brokers and ICE sockets included).
import { afterEach, describe, expect, it } from 'vitest'
import type { ContractEvent, LabState } from '../../../src/common/contract'
import { contract, LAB_CHIPS } from '../../../src/common/contract'
import { Backend } from '../../../src/main/backend'
import { DEMO_CHIPS } from '../../../src/common/demo-firmware'
import { LabService } from '../../../src/main/lab/lab-service'
import { labTwinStarter } from '../../../src/twin/lab-twin'
import { makeTempDir } from '../../support/temp-dir'

/** Open sockets and servers of this process, by kind (Node's own count). */
function sockets(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) if (/^(UDPWrap|TCPWrap|TCPServerWrap|TCPSocketWrap)$/.test(kind)) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

let lab: LabService | undefined
afterEach(async () => {
  await lab?.dispose()
  lab = undefined
})

describe('LabService', () => {
  it('offers the chips the demo firmware is made for', () => {
    expect([...LAB_CHIPS].sort()).toEqual([...DEMO_CHIPS].sort())
  })

  it('brings two twins to a connected pair and, on stop, closes everything it opened', async () => {
    const before = sockets()
    const dataDir = makeTempDir('pairkit-lab-service-')
    lab = new LabService({ startTwin: labTwinStarter(), dataDir })
    const states: LabState[] = []
    lab.onDidChange((state) => states.push(state))
    expect(lab.start('esp32c3').status).toBe('starting')
    expect(() => lab?.start()).toThrow(/already starting/)
    const ready = await lab.ready()
    expect(ready.status).toBe('ready')
    expect(ready.chip).toBe('esp32c3')
    expect(ready.twins).toEqual([
      { role: 1, step: 'connected' },
      { role: 2, step: 'connected' },
    ])
    expect(ready.items.map((item) => item.kind)).toEqual(['firmware', 'signalling', 'stun', 'twin', 'twin'])
    // Every twin went through the steps in order, as the Lab view shows them.
    const stepsOf = (role: number) => [...new Set(states.map((state) => state.twins.find((twin) => twin.role === role)?.step))]
    expect(stepsOf(1)).toEqual(['starting', 'flashing', 'provisioning', 'booting', 'connected'])
    expect(() => lab?.start()).toThrow(/already running/)

    const stopped = await lab.stop()
    expect(stopped).toEqual({ status: 'stopped', items: [], twins: [] })
    // The firmwares' peers close their sockets a moment after their twin stops.
    const deadline = Date.now() + 3000
    while (JSON.stringify(sockets()) !== JSON.stringify(before) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(sockets()).toEqual(before)
  }, 120_000)

  it('runs through the contract: lab.start, lab.changed up to ready, the twins in Devices, lab.stop', async () => {
    const dataDir = makeTempDir('pairkit-lab-backend-')
    const backend = new Backend({ host: 'browser', dataDir, extraPortPatterns: [], startLabTwin: labTwinStarter() })
    try {
      const events: ContractEvent[] = []
      backend.onEvent((event) => events.push(event))
      const labStates = () => events.filter((event) => event.name === 'lab.changed').map((event) => event.payload as LabState)
      expect((await backend.handlers['lab.start']({})).status).toBe('starting')
      const deadline = Date.now() + 90_000
      while (!labStates().some((state) => state.status === 'ready' || state.status === 'failed') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
      const state = await backend.handlers['lab.state']({})
      expect(state.status, JSON.stringify(state.error)).toBe('ready')
      expect(state.chip).toBe('esp32s3')
      // Every state that went out is what the contract promises the page.
      for (const payload of labStates()) expect(contract.events['lab.changed'].safeParse(payload).success).toBe(true)
      const serials = state.items.flatMap((item) => (item.kind === 'twin' ? [item.serial] : []))
      expect(serials).toHaveLength(2)
      expect((await backend.handlers['devices.list']({})).map((device) => device.id)).toEqual(expect.arrayContaining(serials))
      // The lab's flash and provisioning ran as flasher jobs the page sees.
      const operations = new Set(events.flatMap((event) => (event.name === 'flash.job' && event.payload.type === 'done' ? [event.payload.operation] : [])))
      expect([...operations].sort()).toEqual(['flash', 'provision'])
      expect((await backend.handlers['lab.stop']({})).status).toBe('stopped')
      expect(labStates().at(-1)?.status).toBe('stopped')
    } finally {
      await backend.lab.stop()
      backend.dispose()
    }
  }, 120_000)

  it('says it cannot run where no twin can be started', () => {
    lab = new LabService({})
    expect(() => lab?.start()).toThrow(/cannot run virtual devices/)
  })
})
