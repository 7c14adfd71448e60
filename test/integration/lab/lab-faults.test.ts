// Every fault scenario of the virtual lab, through the backend as the Lab and ICE views drive
// it: lab.start with the fault, the lab reaching "running with the fault", the twins' consoles
// opened with a reset (what the Lab view's "Open in ICE view" does), and the finding the ICE
// view shows appearing in diagnosis.list. "Cable pulled during flashing" has no console to read:
// its diagnosis is the flasher's error at the twin's step, where the flash failed.
import { afterEach, describe, expect, it } from 'vitest'
import type { ContractEvent, LabFault, LabState } from '../../../src/common/contract'
import { Backend } from '../../../src/main/backend'
import { labTwinStarter } from '../../../src/twin/lab-twin'
import { makeTempDir } from '../../support/temp-dir'

let backend: Backend | undefined
const sessions: string[] = []
afterEach(async () => {
  if (!backend) return
  for (const sessionId of sessions.splice(0)) await backend.handlers['monitor.close']({ sessionId }).catch(() => undefined)
  await backend.lab.stop()
  backend.dispose()
  backend = undefined
})

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function startWithFault(fault: LabFault): Promise<LabState> {
  backend = new Backend({ host: 'browser', dataDir: makeTempDir('pairkit-lab-fault-'), extraPortPatterns: [], startLabTwin: labTwinStarter() })
  const events: ContractEvent[] = []
  backend.onEvent((event) => events.push(event))
  expect((await backend.handlers['lab.start']({ fault })).fault).toBe(fault)
  const lab = backend.lab
  return until('the lab running with its fault', () => (['fault', 'failed', 'ready'].includes(lab.state.status) ? lab.state : undefined), 60_000)
}

/** What "Open in ICE view" does: a monitor with a reset on every twin the lab runs. */
async function openConsoles(state: LabState): Promise<void> {
  for (const item of state.items) if (item.kind === 'twin') sessions.push((await (backend as Backend).handlers['monitor.open']({ deviceId: item.serial, reset: true })).sessionId)
}

/** Each scenario, the finding it must give, and the device that finding names (by role; none: whichever twin shows it first, as both are struck). */
const SCENARIOS: { fault: LabFault; finding: string; role?: 1 | 2; timeoutMs: number }[] = [
  { fault: 'stun-unreachable', finding: 'no-srflx', timeoutMs: 30_000 },
  { fault: 'signalling-down', finding: 'signalling-broker-unreachable', timeoutMs: 40_000 },
  // The firmware's handshake gives up after 61 s.
  { fault: 'peer-missing', finding: 'sync-unanswered', role: 1, timeoutMs: 90_000 },
  // Lost both ways, each named at the site it did not reach.
  { fault: 'packet-loss', finding: 'link-loss', timeoutMs: 40_000 },
  { fault: 'stock-receive-bug', finding: 'stock-receive-bug', timeoutMs: 40_000 },
  { fault: 'boot-loop', finding: 'reboot-loop', role: 1, timeoutMs: 40_000 },
  { fault: 'panic', finding: 'panic', role: 1, timeoutMs: 30_000 },
]

describe('the virtual lab\'s fault scenarios', () => {
  it.each(SCENARIOS)('$fault: the pair\'s diagnosis says $finding', async ({ fault, finding, role, timeoutMs }) => {
    const state = await startWithFault(fault)
    expect(state.status, JSON.stringify(state.error)).toBe('fault')
    expect(state.twins.every((twin) => twin.step === 'running')).toBe(true)
    const pairId = state.pairId as string
    await openConsoles(state)
    const list = () => (backend as Backend).handlers['diagnosis.list']({ pairId })
    const findings = await until(`the finding ${finding}`, async () => ((await list()).some((item) => item.id === finding) ? list() : undefined), timeoutMs).catch(async (error: Error) => {
      throw new Error(`${error.message}; the pair's findings: ${JSON.stringify((await list()).map((item) => item.id))}`)
    })
    const serials = state.items.flatMap((item) => (item.kind === 'twin' && (role === undefined || item.role === role) ? [item.serial] : []))
    const named = findings.filter((item) => item.id === finding).map((item) => item.device)
    expect(named.some((device) => device !== undefined && serials.includes(device)), `${JSON.stringify(named)} names a twin of ${JSON.stringify(serials)}`).toBe(true)
  }, 150_000)

  it('cable-pulled: the twin whose link is cut while flashing shows the flasher\'s error at its flashing step; the other runs on', async () => {
    const state = await startWithFault('cable-pulled')
    expect(state.status, JSON.stringify(state.error)).toBe('fault')
    const cut = state.twins.find((twin) => twin.role === 2)
    expect(cut).toMatchObject({ step: 'failed', detail: 'flashing', error: { code: 'PORT_DISCONNECTED' } })
    expect(cut?.error?.hint).toMatch(/check the USB cable/)
    expect(state.twins.find((twin) => twin.role === 1)?.step).toBe('running')
    // The failed write is in the flash jobs and the device's history, like any board's.
    const history = await (backend as Backend).handlers['history.list']({})
    const serial = state.items.find((item) => item.kind === 'twin' && item.role === 2)
    expect(history.some((entry) => entry.deviceId === (serial?.kind === 'twin' ? serial.serial : '') && entry.outcome === 'failed' && entry.error?.code === 'PORT_DISCONNECTED')).toBe(true)
  }, 90_000)
})
