// A twin keeps its MAC across starts on the same flash file, as a board keeps its eFuses.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatMac } from '../../../src/common/esp/chips'
import { identityFileFor, twinMac } from '../../../src/twin/identity'
import { makeTempDir } from '../../support/temp-dir'

describe('twin identity', () => {
  it('keeps the first MAC beside the flash file and gives it back on every start', () => {
    const dir = makeTempDir('pairkit-twin-id-')
    const flash = path.join(dir, 'board1.bin')
    const first = twinMac(flash, 'esp32')
    expect(first[0]).toBe(0x02) // locally administered, unicast
    expect(JSON.parse(readFileSync(identityFileFor(flash), 'utf8'))).toEqual({ version: 1, mac: formatMac(first) })
    expect(twinMac(flash, 'esp32')).toEqual(first)
    // Another file is another board.
    expect(twinMac(path.join(dir, 'board2.bin'), 'esp32')).not.toEqual(first)
  })

  it('lets --mac override one run without changing the kept MAC, and keeps a given MAC on a first start', () => {
    const dir = makeTempDir('pairkit-twin-id-')
    const flash = path.join(dir, 'board.bin')
    const kept = twinMac(flash, 'esp32c3')
    const given = Uint8Array.from([0x02, 0x11, 0x22, 0x33, 0x44, 0x55])
    expect(twinMac(flash, 'esp32c3', given)).toEqual(given)
    expect(twinMac(flash, 'esp32c3')).toEqual(kept)
    const fresh = path.join(dir, 'fresh.bin')
    twinMac(fresh, 'esp32c3', given)
    expect(twinMac(fresh, 'esp32c3')).toEqual(given)
  })

  it('survives a damaged sidecar by setting it aside and keeping a new one', () => {
    const dir = makeTempDir('pairkit-twin-id-')
    const flash = path.join(dir, 'board.bin')
    writeFileSync(identityFileFor(flash), 'not json')
    const notes: string[] = []
    const mac = twinMac(flash, 'esp32', undefined, (text) => notes.push(text))
    expect(notes.join('\n')).toMatch(/board\.bin\.twin\.json: it is not valid JSON/)
    expect(existsSync(identityFileFor(flash))).toBe(true)
    expect(twinMac(flash, 'esp32')).toEqual(mac)
  })
})
