// The `pairkit` command as a user runs it: a real process, real exit codes.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runToEnd, spawnPairkit } from '../../support/processes'
import { createPtyPair } from '../../support/pty'
import { makeTempDir } from '../../support/temp-dir'

describe('pairkit CLI', () => {
  it('--help lists the commands and exits 0', async () => {
    const result = await runToEnd(spawnPairkit(['--help']))
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/ports\s+List serial ports/)
    expect(result.stdout).toMatch(/Exit codes: 0 ok, 1 the operation failed, 2 usage error/)
  })

  it('every command has its own --help', async () => {
    const result = await runToEnd(spawnPairkit(['ports', '--help']))
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Usage: pairkit ports \[--json\]/)
  })

  it('exits 2 with one sentence on stderr for usage errors', async () => {
    const unknown = await runToEnd(spawnPairkit(['frobnicate']))
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1)
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/)
    const badOption = await runToEnd(spawnPairkit(['ports', '--colour']))
    expect(badOption.code).toBe(2)
    expect(badOption.stderr).toMatch(/--colour/)
  })

  it('ports --json prints one JSON object per port, including watched pseudo-terminals', async () => {
    const dir = makeTempDir('pairkit-cli-')
    const pair = await createPtyPair(path.join(dir, 'ttyPK0'), path.join(dir, 'ttyPK1'))
    try {
      const result = await runToEnd(
        spawnPairkit(['ports', '--json'], { env: { ...process.env, PAIRKIT_EXTRA_PORTS: path.join(dir, 'ttyPK*') } }),
      )
      expect(result.code).toBe(0)
      const lines = result.stdout.trim().split('\n').filter(Boolean)
      const ports = lines.map((line) => JSON.parse(line) as { path: string; likelyEsp32: boolean; source: string })
      expect(ports.filter((port) => port.source === 'extra').map((port) => port.path)).toEqual([pair.a, pair.b])
      for (const port of ports) expect(typeof port.likelyEsp32).toBe('boolean')
    } finally {
      await pair.close()
    }
  })
})
