// Our copies in test/fixtures/nvs must stay identical to the shared golden set when it is present.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { FIXTURES } from './fixtures'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const shared = path.resolve(repoRoot, '../shared/fixtures/nvs')

describe('NVS fixture copies', () => {
  it('have the shared set next to the repository', () => {
    expect(existsSync(shared)).toBe(true)
  })

  it('match ../shared/fixtures/nvs byte for byte', () => {
    const files = [...readdirSync(shared).filter((name) => /\.(bin|csv)$/.test(name)), ...readdirSync(path.join(shared, 'idf')).map((name) => `idf/${name}`)]
    expect(files.length).toBeGreaterThan(10)
    for (const file of files) expect(readFileSync(path.join(FIXTURES, file)).equals(readFileSync(path.join(shared, file))), file).toBe(true)
  })
})
