import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeSecretFile } from '../../../src/main/secrets/secret-file'
import { makeTempDir } from '../../support/temp-dir'

describe('writeSecretFile', () => {
  it('writes a new file readable by its owner only', async () => {
    const file = path.join(makeTempDir('pairkit-secret-file-'), 'site-a-nvs.bin')
    await writeSecretFile(file, new Uint8Array([1, 2, 3]))
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect([...readFileSync(file)]).toEqual([1, 2, 3])
  })

  it('replaces a file that was readable by others, leaving no temporary file', async () => {
    const dir = makeTempDir('pairkit-secret-file-')
    const file = path.join(dir, 'a.json')
    writeFileSync(file, 'old')
    chmodSync(file, 0o644)
    await writeSecretFile(file, '{"staPassword":"x"}')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toBe('{"staPassword":"x"}')
    expect(readdirSync(dir)).toEqual(['a.json'])
  })

  it('fails with the reason and leaves nothing behind when the folder is missing', async () => {
    const dir = makeTempDir('pairkit-secret-file-')
    await expect(writeSecretFile(path.join(dir, 'missing', 'x.bin'), 'x')).rejects.toThrow(/ENOENT/)
    expect(readdirSync(dir)).toEqual([])
  })
})
