// The records in the data folder: each survives a restart, is bounded, and never holds a secret.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Bundle } from '../../../src/common/bundle'
import { MAX_HISTORY_ENTRIES } from '../../../src/common/contract/history'
import { keptWebToken } from '../../../src/main/host/web-token'
import { CurrentBundleStore } from '../../../src/main/state/current-bundle-store'
import { defaultDataDir, resolveDataDir } from '../../../src/main/state/data-dir'
import { HistoryStore } from '../../../src/main/state/history-store'
import { UiStateStore } from '../../../src/main/state/ui-state-store'
import { makeTempDir } from '../../support/temp-dir'

describe('the data folder', () => {
  it('is the one Electron names userData for PairKit, unless PAIRKIT_DATA_DIR or --data-dir say otherwise', () => {
    expect(defaultDataDir({ env: {}, platform: 'linux', home: '/home/tech' })).toBe('/home/tech/.config/PairKit')
    expect(defaultDataDir({ env: { XDG_CONFIG_HOME: '/cfg' }, platform: 'linux', home: '/home/tech' })).toBe('/cfg/PairKit')
    expect(defaultDataDir({ env: { XDG_CONFIG_HOME: 'relative' }, platform: 'linux', home: '/home/tech' })).toBe('/home/tech/.config/PairKit')
    expect(defaultDataDir({ env: {}, platform: 'darwin', home: '/Users/tech' })).toBe('/Users/tech/Library/Application Support/PairKit')
    expect(defaultDataDir({ env: { APPDATA: 'C:\\Users\\tech\\AppData\\Roaming' }, platform: 'win32', home: 'C:\\Users\\tech' })).toBe('C:\\Users\\tech\\AppData\\Roaming\\PairKit')
    const environment = { env: { PAIRKIT_DATA_DIR: '/srv/pairkit' }, platform: 'linux' as const, home: '/home/tech' }
    expect(resolveDataDir(undefined, environment)).toBe('/srv/pairkit')
    expect(resolveDataDir('/tmp/other', environment)).toBe('/tmp/other')
  })

  it('keeps the flash history, newest first, bounded, per device by any spelling', () => {
    const dataDir = makeTempDir('pairkit-history-')
    const history = new HistoryStore(dataDir)
    const added: string[] = []
    history.onDidAdd((entry) => added.push(entry.id))
    const entry = (deviceId: string, at: number) => ({ startedAt: at, endedAt: at + 1, deviceId, operation: 'flash' as const, outcome: 'done' as const, regions: [], bundle: { name: 'build', sha256: 'ab'.repeat(32) } })
    history.add(entry('rfc2217://127.0.0.1:4000', 1))
    history.add(entry('/dev/ttyUSB0', 2))
    history.add(entry('rfc2217://127.0.0.1:4000', 3))
    expect(added).toHaveLength(3)
    const again = new HistoryStore(dataDir)
    expect(again.list().map((item) => item.startedAt)).toEqual([3, 2, 1])
    expect(again.list({ deviceId: 'RFC2217://127.0.0.1:4000/' }).map((item) => item.startedAt)).toEqual([3, 1])
    expect(again.list({ limit: 1 })).toHaveLength(1)
    for (let i = 0; i < MAX_HISTORY_ENTRIES + 5; i++) again.add(entry('/dev/ttyUSB0', 10 + i))
    const bounded = new HistoryStore(dataDir).list()
    expect(bounded).toHaveLength(MAX_HISTORY_ENTRIES)
    expect(bounded.at(-1)?.startedAt).toBe(15)
  })

  it('keeps the views\' inputs, bounded, and refuses anything named like a secret', () => {
    const dataDir = makeTempDir('pairkit-ui-state-')
    const state = new UiStateStore(dataDir)
    state.set('flash.selected', ['rfc2217://127.0.0.1:4000'])
    state.set('flash.baud', 460800)
    expect(() => state.set('configure.form', { siteA: { staSsid: 'Farm', staPassword: 'wifi-secret' } })).toThrow(/"staPassword" looks like a password/)
    expect(() => state.set('web.token', 'x')).toThrow(/looks like a password, secret or token/)
    expect(() => state.set('big', 'x'.repeat(17 * 1024))).toThrow(/at most 16384 are kept/)
    state.set('flash.baud', null)
    expect(new UiStateStore(dataDir).all()).toEqual({ 'flash.selected': ['rfc2217://127.0.0.1:4000'] })
    expect(readFileSync(path.join(dataDir, 'ui-state.json'), 'utf8')).not.toContain('wifi-secret')
    for (let i = 0; i < 63; i++) state.set(`key${i}`, i)
    expect(() => state.set('one-too-many', 1)).toThrow(/at most 64 view inputs/)
  })

  it('keeps the current bundle, and drops it when a part was changed on disk', () => {
    const dataDir = makeTempDir('pairkit-bundle-')
    const store = new CurrentBundleStore(dataDir)
    const bundle: Bundle = {
      source: 'build folder build/',
      chip: 'esp32',
      flash: { mode: 'dio', size: '4MB' },
      partitionTableOffset: 0x8000,
      parts: [
        { offset: 0x9000, name: 'nvs.bin', bytes: new Uint8Array(0x6000).fill(0xff), kind: 'data', placed: true },
        { offset: 0x10000, name: 'app.bin', bytes: Uint8Array.from([0xe9, 1, 2, 3]), kind: 'app' },
      ],
      problems: [],
    }
    expect(store.save({ bundleId: 'b-1', loadedAt: 123, bundle })).toBe(true)
    const kept = new CurrentBundleStore(dataDir).load()
    expect(kept).toEqual({ bundleId: 'b-1', loadedAt: 123, bundle })
    // A second bundle replaces the first; its parts' files go.
    store.save({ bundleId: 'b-2', loadedAt: 456, bundle: { ...bundle, parts: [bundle.parts[1] as Bundle['parts'][number]] } })
    expect(readdirSync(path.join(dataDir, 'bundle')).filter((name) => name.endsWith('.bin'))).toHaveLength(1)
    const part = readdirSync(path.join(dataDir, 'bundle')).find((name) => name.endsWith('.bin')) as string
    writeFileSync(path.join(dataDir, 'bundle', part), Uint8Array.from([0xe9, 9, 9, 9]))
    expect(new CurrentBundleStore(dataDir).load()).toBeUndefined()
  })

  it('keeps the browser token readable by its owner only, and makes a new one when it is not a token', () => {
    const dataDir = makeTempDir('pairkit-token-')
    const token = keptWebToken(dataDir)
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(keptWebToken(dataDir)).toBe(token)
    expect(statSync(path.join(dataDir, 'web-token')).mode & 0o777).toBe(0o600)
    writeFileSync(path.join(dataDir, 'web-token'), 'short')
    const fresh = keptWebToken(dataDir)
    expect(fresh).not.toBe(token)
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{32}$/)
  })
})
