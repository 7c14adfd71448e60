// `pairkit lab --json` as a technician runs it: it prints what it started, then ready once the
// twins are connected to each other; the twins' serial links answer a probe with the demo
// firmware and the pair's settings, their site brokers take MQTT clients, the firmware folder
// passes `pairkit bundle inspect`, and Ctrl-C ends the process and closes every port.
import { createSocket } from 'node:dgram'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Socket } from 'node:net'
import { connectAsync } from 'mqtt'
import { describe, expect, it } from 'vitest'
import { probe, type JobReporter } from '../../../src/main/flasher'
import { runToEnd, spawnPairkit, waitForLine } from '../../support/processes'
import { makeTempDir } from '../../support/temp-dir'

const reporter = (): JobReporter => ({ deviceState: '', stage: () => undefined, warning: () => undefined, progress: () => undefined })

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket()
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.connect(port, '127.0.0.1')
  })
}

/** Whether a UDP port on loopback is free: binding it succeeds only when nothing holds it. */
function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4')
    socket.once('error', () => resolve(false))
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)))
  })
}

const portOf = (url: string) => Number(/:(\d+)\/?$/.exec(url)?.[1])

describe('pairkit lab', () => {
  it('starts a connected pair of twins on loopback and leaves nothing behind on Ctrl-C', async () => {
    const dataDir = makeTempDir('pairkit-lab-')
    const child = spawnPairkit(['lab', '--json'], { env: { ...process.env, PAIRKIT_DATA_DIR: dataDir } })
    let stdout = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const ended = runToEnd(child)
    await waitForLine(child.stdout as NodeJS.ReadableStream, /"kind":"ready"/, 120_000)
    const items = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>)

    const twins = items.filter((item) => item.kind === 'twin')
    expect(twins.map((twin) => twin.role).sort()).toEqual([1, 2])
    for (const twin of twins) {
      expect(twin.serial).toMatch(/^rfc2217:\/\/127\.0\.0\.1:\d+$/)
      expect(twin.mqtt).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/)
      expect(twin.flash).toContain(dataDir)
    }
    const signalling = items.find((item) => item.kind === 'signalling')
    const stun = items.find((item) => item.kind === 'stun')
    const firmware = items.find((item) => item.kind === 'firmware')
    expect(signalling?.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/)
    expect(stun?.url).toMatch(/^stun:127\.0\.0\.1:\d+$/)
    expect(items[items.length - 1]).toMatchObject({ kind: 'ready', pairId: expect.stringMatching(/^[0-9a-f]{16}$/) })

    // Each site broker takes an MQTT client, as the site's devices would connect.
    for (const twin of twins) {
      const client = await connectAsync(String(twin.mqtt), { clientId: `lab-test-${String(twin.role)}`, reconnectPeriod: 0, connectTimeout: 5000 })
      expect(client.connected).toBe(true)
      await client.endAsync()
    }

    // The firmware folder reads as a valid bundle for the chip.
    const inspect = await runToEnd(spawnPairkit(['bundle', 'inspect', String(firmware?.path), '--json'], { env: { ...process.env, PAIRKIT_DATA_DIR: dataDir } }))
    expect(inspect.code, inspect.stderr).toBe(0)
    expect(inspect.stdout).toContain('"ok":true')

    // Each twin's serial link answers a probe: the chip, the demo app, and the settings of its role.
    const pairId = items[items.length - 1]?.pairId
    for (const twin of twins) {
      const result = await probe(String(twin.serial), { resetAfter: true }, reporter())
      expect(result.chip).toBe('esp32s3')
      expect(result.apps?.[0]?.descriptor?.projectName).toBe('serverless_mqtt')
      expect(result.config?.config).toMatchObject({ role: twin.role, pairId })
    }

    const ports = [...twins.flatMap((twin) => [portOf(String(twin.serial)), portOf(String(twin.mqtt))]), portOf(String(signalling?.url))]
    child.kill('SIGINT')
    const result = await ended
    expect(result.code, result.stderr).toBe(0)
    expect(() => process.kill(child.pid as number, 0)).toThrow()
    for (const port of ports) expect(await tcpOpen(port), `port ${port}`).toBe(false)
    expect(await udpFree(portOf(String(stun?.url)))).toBe(true)
  }, 180_000)

  it('ends on SIGTERM while it is still starting, and closes what it had opened', async () => {
    const dataDir = makeTempDir('pairkit-lab-term-')
    const child = spawnPairkit(['lab', '--json', '--chip', 'esp32'], { env: { ...process.env, PAIRKIT_DATA_DIR: dataDir } })
    let stdout = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const ended = runToEnd(child)
    await waitForLine(child.stdout as NodeJS.ReadableStream, /"kind":"twin","role":2/, 60_000)
    const items = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>)
    const ports = items.flatMap((item) => (item.kind === 'twin' ? [portOf(String(item.serial))] : item.kind === 'signalling' ? [portOf(String(item.url))] : []))
    expect(ports).toHaveLength(3)
    child.kill('SIGTERM')
    const result = await ended
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).not.toContain('"kind":"ready"')
    for (const port of ports) expect(await tcpOpen(port), `port ${port}`).toBe(false)
  }, 120_000)

  it('--fault stages the scenario and says so instead of ready; an unknown one is refused with the list', async () => {
    const dataDir = makeTempDir('pairkit-lab-fault-')
    const child = spawnPairkit(['lab', '--json', '--fault', 'peer-missing'], { env: { ...process.env, PAIRKIT_DATA_DIR: dataDir } })
    let stdout = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const ended = runToEnd(child)
    await waitForLine(child.stdout as NodeJS.ReadableStream, /"kind":"fault"/, 120_000)
    const items = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>)
    // The peer never appears: the lab runs twin 1 alone.
    expect(items.filter((item) => item.kind === 'twin').map((item) => item.role)).toEqual([1])
    expect(items[items.length - 1]).toMatchObject({ kind: 'fault', fault: 'peer-missing', pairId: expect.stringMatching(/^[0-9a-f]{16}$/) })
    child.kill('SIGINT')
    expect((await ended).code).toBe(0)

    const bad = await runToEnd(spawnPairkit(['lab', '--fault', 'gremlins'], { env: { ...process.env, PAIRKIT_DATA_DIR: dataDir } }))
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain('--fault must be stun-unreachable, signalling-down, peer-missing')
  }, 150_000)

  it('--blank starts erased twins and stores the lab\'s pair as "Virtual lab" in pairs.json, without a password', async () => {
    const dataDir = makeTempDir('pairkit-lab-blank-')
    const child = spawnPairkit(['lab', '--json', '--blank'], { env: { ...process.env, PAIRKIT_DATA_DIR: dataDir } })
    let stdout = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const ended = runToEnd(child)
    await waitForLine(child.stdout as NodeJS.ReadableStream, /"kind":"ready"/, 120_000)
    const items = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>)
    const pair = items.find((item) => item.kind === 'pair')
    expect(pair).toMatchObject({ name: 'Virtual lab', pairId: expect.stringMatching(/^[0-9a-f]{16}$/) })
    expect(items[items.length - 1]).toEqual({ kind: 'ready', pairId: pair?.pairId, blank: true })
    // Nothing was written: each twin answers a probe with an erased flash (no app to describe).
    for (const twin of items.filter((item) => item.kind === 'twin')) {
      const result = await probe(String(twin.serial), { resetAfter: true }, reporter())
      expect(result.chip).toBe('esp32s3')
      expect(result.apps ?? []).toEqual([])
    }
    const stored = JSON.parse(readFileSync(path.join(dataDir, 'pairs.json'), 'utf8')) as Array<{ pairId: string; name?: string; a: { staPassword: string; signallingUri: string } }>
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({ pairId: pair?.pairId, name: 'Virtual lab', a: { staPassword: '' } })
    expect(stored[0]?.a.signallingUri).toBe(items.find((item) => item.kind === 'signalling')?.url)
    child.kill('SIGINT')
    expect((await ended).code).toBe(0)

    const both = await runToEnd(spawnPairkit(['lab', '--blank', '--fault', 'panic'], { env: { ...process.env, PAIRKIT_DATA_DIR: dataDir } }))
    expect(both.code).not.toBe(0)
    expect(both.stderr).toContain('--blank and --fault go apart')
  }, 150_000)
})
