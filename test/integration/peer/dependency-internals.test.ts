// The dependency internals the peer's fast paths read are checked once at start-up: against the
// installed packages, which package.json pins to exactly the versions the check expects.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkInternals, checkInternalsAgainst, WRITTEN_AGAINST } from '../../../src/main/peer/dependency-internals'
import { REPO_ROOT } from '../../support/processes'

describe('dependency internals', () => {
  it('are pinned in package.json to exactly the versions the fast paths were written for', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    for (const [name, version] of Object.entries(WRITTEN_AGAINST)) expect(pkg.dependencies[name], name).toBe(version)
  })

  it('match in the installed packages and in Node, so every fast path may run', async () => {
    expect(await checkInternals()).toEqual({ broker: true, ice: true, udpLookup: true, warnings: [] })
  })

  it('turn the broker\'s fast paths off, with one warning saying what to do, when aedes is another version', async () => {
    const check = await checkInternalsAgainst({ ...WRITTEN_AGAINST, aedes: '1.3.0' })
    expect(check).toMatchObject({ broker: false, ice: true, udpLookup: true })
    expect(check.warnings).toEqual([{ path: 'broker', message: expect.stringMatching(/^The embedded broker runs plain aedes .*aedes 1\.2\.0 is installed, the fast path was written for 1\.3\.0\. Run "npm ci" to install the pinned versions\.$/) }])
  })

  it('turn the ICE fast path off, saying that strangers\' datagrams are no longer told apart, when werift-ice is another version', async () => {
    const check = await checkInternalsAgainst({ ...WRITTEN_AGAINST, 'werift-ice': '0.3.0' })
    expect(check).toMatchObject({ broker: true, ice: false, udpLookup: true })
    expect(check.warnings.map((w) => w.path)).toEqual(['ice'])
    expect(check.warnings[0]?.message).toContain('no longer told apart')
  })
})
