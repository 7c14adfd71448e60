// Bundle problems in the Flash view: the part apart from the sentence, and the choice the
// page offers where the CLI has a flag (raw data, the chip).
import { describe, expect, it } from 'vitest'
import type { BundleSummary } from '../../../src/common/contract'
import { problemView } from '../../../src/renderer/src/data/bundle-problem'

const bundle: BundleSummary = {
  bundleId: 'b', source: 'build', sha256: '', loadedAt: 0, flash: {}, partitions: [], ok: false, problems: [],
  parts: [{ offset: 0x10000, name: 'app', kind: 'app', size: 64 }, { offset: 0x8000, name: 'partition-table', kind: 'partition-table', size: 3072 }],
}

describe('bundle problem view', () => {
  it('offers raw data for a non-image where an app belongs, at that part\'s offset', () => {
    const view = problemView({ code: 'NOT_AN_APP_IMAGE', severity: 'error', part: 'app', message: '0x10000 app is not an ESP app image (its first byte is 0x23, an image starts with 0xE9): pick the app .bin from the build folder, or write it as raw data' }, bundle)
    expect(view).toMatchObject({ rawOffset: 0x10000, needsChip: false, text: expect.stringMatching(/^0x10000 app is not an ESP app image .*or write it as raw data\.$/) })
  })

  it('takes the part name off the front of the sentence and shows it apart', () => {
    expect(problemView({ code: 'BAD_PARTITION_TABLE', severity: 'warning', part: 'partition-table', message: 'partition-table: the table has no MD5 row' }, bundle)).toEqual({ severity: 'warning', part: 'partition-table', text: 'The table has no MD5 row.', needsChip: false })
  })

  it('asks for the chip when the firmware does not say', () => {
    expect(problemView({ code: 'NO_CHIP', severity: 'error', message: 'the target chip is unknown' }, bundle)).toEqual({ severity: 'error', text: 'The target chip is unknown.', needsChip: true })
  })
})
