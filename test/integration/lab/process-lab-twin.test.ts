// The lab as the desktop app runs it: the backend's LabService with twins started as
// `pairkit twin` processes (processTwinStarter, what src/main/index.ts hands the backend). The
// lab gets to ready through lab.start, the twins' serial links are the children's, and lab.stop
// ends every child by its PID, leaving none behind.
import { afterEach, describe, expect, it } from 'vitest'
import { Backend } from '../../../src/main/backend'
import { processTwinStarter } from '../../../src/main/lab/process-lab-twin'
import { PAIRKIT_BIN } from '../../support/processes'
import { makeTempDir } from '../../support/temp-dir'

const pids: number[] = []
const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

let backend: Backend | undefined
afterEach(async () => {
  await backend?.lab.stop()
  backend?.dispose()
  backend = undefined
  // Whatever the test did, no twin outlives it.
  for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL')
})

describe('the lab with twins as processes', () => {
  it('gets to ready through lab.start and ends every twin process on lab.stop', async () => {
    backend = new Backend({
      host: 'browser',
      dataDir: makeTempDir('pairkit-lab-processes-'),
      extraPortPatterns: [],
      startLabTwin: processTwinStarter({ command: process.execPath, args: [PAIRKIT_BIN], onSpawn: (pid) => pids.push(pid) }),
    })
    expect((await backend.handlers['lab.start']({ chip: 'esp32c3' })).status).toBe('starting')
    const state = await backend.lab.ready()
    expect(state.status).toBe('ready')
    expect(state.twins.map((twin) => twin.step)).toEqual(['connected', 'connected'])
    expect(pids).toHaveLength(2)
    for (const pid of pids) expect(alive(pid)).toBe(true)
    const serials = state.items.flatMap((item) => (item.kind === 'twin' ? [item.serial] : []))
    expect(serials.every((serial) => /^rfc2217:\/\/127\.0\.0\.1:\d+$/.test(serial))).toBe(true)

    expect((await backend.handlers['lab.stop']({})).status).toBe('stopped')
    for (const pid of pids) expect(alive(pid), `twin process ${pid}`).toBe(false)
  }, 150_000)

  it('a twin that cannot start fails the lab with a sentence, and leaves no process', async () => {
    backend = new Backend({
      host: 'browser',
      dataDir: makeTempDir('pairkit-lab-processes-bad-'),
      extraPortPatterns: [],
      // A `pairkit` that refuses the twin command's arguments.
      startLabTwin: processTwinStarter({ command: process.execPath, args: [PAIRKIT_BIN, '--no-such-option'], onSpawn: (pid) => pids.push(pid) }),
    })
    backend.lab.start()
    await expect(backend.lab.ready()).rejects.toThrow(/a virtual ESP32 of the lab could not start: it ended at once/)
    expect(backend.lab.state.status).toBe('failed')
    for (const pid of pids) expect(alive(pid)).toBe(false)
  }, 60_000)
})
