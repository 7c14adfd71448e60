// Runs scripts/outside-check-twin.sh: pyserial (Debian python3-serial) drives the twin over
// rfc2217:// and socket://, and Espressif's esptool.py v4 runs the flashing matrix when it
// is installed. Without esptool the script exits 3 after the pyserial part.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const repo = path.resolve(__dirname, '../../..')

describe('outside check of the twin', () => {
  it.each(['esp32', 'esp32c3'])('passes for %s', (chip) => {
    const result = spawnSync('bash', [path.join(repo, 'scripts/outside-check-twin.sh'), chip], { cwd: repo, encoding: 'utf8', timeout: 240_000 })
    const output = `${result.stdout}\n${result.stderr}`
    expect(output).toContain('ok   rfc2217: classic reset printed the download-mode banner')
    expect(output).toContain('ok   socket: magic register reads')
    expect(output).not.toContain('FAIL')
    if (output.includes('MISSING esptool.py')) expect(result.status).toBe(3)
    else {
      expect(output).toContain('outside check passed')
      expect(result.status).toBe(0)
    }
  }, 250_000)
})
