// Loading bundles from real files: build directories written in both flasher_args.json
// spellings, zips of them, merged images and OFFSET=FILE lists, in a temporary directory.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { zipSync } from 'fflate'
import { afterAll, describe, expect, it } from 'vitest'
import { validateBundle } from '../../../src/common/bundle'
import { loadBundle } from '../../../src/main/bundle'
import { fixture } from '../../unit/app-image/fixtures'
import { esp32Build, flasherArgsJson, type Spelling } from '../../unit/bundle/build-fixtures'

const root = mkdtempSync(path.join(os.tmpdir(), 'pairkit-bundle-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function writeBuild(dir: string, spelling: Spelling, options: { omit?: string; flashSize?: string } = {}): string {
  const layout = esp32Build()
  for (const [file, bytes] of Object.entries(layout.files)) {
    if (file === options.omit) continue
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    writeFileSync(path.join(dir, file), bytes)
  }
  writeFileSync(path.join(dir, 'flasher_args.json'), flasherArgsJson(spelling, layout, options.flashSize ? { flashSize: options.flashSize } : {}))
  return dir
}

describe('loadBundle', () => {
  it.each(['underscore', 'dash'] as const)('reads a build directory with %s spellings', async (spelling) => {
    const dir = writeBuild(path.join(root, `build-${spelling}`), spelling)
    const bundle = await loadBundle([dir])
    expect(bundle.chip).toBe('esp32')
    expect(bundle.flash).toEqual({ mode: 'dio', size: '2MB', freq: '40m' })
    expect(bundle.parts.map((p) => [p.offset, p.name, p.kind, p.bytes.length])).toEqual([
      [0x1000, 'bootloader', 'bootloader', 26768],
      [0x8000, 'partition-table', 'partition-table', 3072],
      [0x10000, 'app', 'app', 196608],
    ])
    expect(validateBundle(bundle).ok).toBe(true)
  })

  it('finds build/ inside a project directory, and accepts the flasher_args.json path', async () => {
    const project = path.join(root, 'project')
    writeBuild(path.join(project, 'build'), 'dash')
    expect((await loadBundle([project])).parts).toHaveLength(3)
    expect((await loadBundle([path.join(project, 'build', 'flasher_args.json')])).parts).toHaveLength(3)
  })

  it('lists a missing build file and fails validation', async () => {
    const dir = writeBuild(path.join(root, 'missing'), 'underscore', { omit: 'hello-world.bin' })
    const bundle = await loadBundle([dir])
    expect(bundle.problems.map((p) => p.message)).toEqual(['hello-world.bin (for 0x10000) is missing from the build'])
    expect(validateBundle(bundle).ok).toBe(false)
  })

  it('does not read files outside the build directory', async () => {
    const dir = path.join(root, 'escape')
    writeBuild(dir, 'underscore')
    writeFileSync(path.join(root, 'secret.bin'), fixture('images/hello-world-signed.bin'))
    const json = JSON.parse(flasherArgsJson('underscore', esp32Build(), { app: '../secret.bin' }))
    writeFileSync(path.join(dir, 'flasher_args.json'), JSON.stringify(json))
    const bundle = await loadBundle([dir])
    expect(bundle.problems.map((p) => p.code)).toEqual(['FILE_MISSING'])
  })

  it.each(['underscore', 'dash'] as const)('reads a zip of a build directory (%s)', async (spelling) => {
    const layout = esp32Build()
    const entries: Record<string, Uint8Array> = { 'fw/build/flasher_args.json': new TextEncoder().encode(flasherArgsJson(spelling, layout)) }
    for (const [file, bytes] of Object.entries(layout.files)) entries[`fw/build/${file}`] = bytes
    entries['fw/build/notes.txt'] = new TextEncoder().encode('ignored')
    const zipPath = path.join(root, `fw-${spelling}.zip`)
    writeFileSync(zipPath, zipSync(entries))
    const bundle = await loadBundle([zipPath])
    expect(bundle.parts.map((p) => p.name)).toEqual(['bootloader', 'partition-table', 'app'])
    expect(validateBundle(bundle).ok).toBe(true)
  })

  it('refuses a zip without flasher_args.json and a file that is no zip', async () => {
    const empty = path.join(root, 'empty.zip')
    writeFileSync(empty, zipSync({ 'readme.txt': new Uint8Array([65]) }))
    await expect(loadBundle([empty])).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const broken = path.join(root, 'broken.zip')
    writeFileSync(broken, new Uint8Array([0x50, 0x4b, 3, 4, 9, 9, 9]))
    await expect(loadBundle([broken])).rejects.toMatchObject({ code: 'BAD_INPUT' })
  })

  it('reads a merged image', async () => {
    const file = path.join(root, 'merged.bin')
    writeFileSync(file, fixture('merged/merged_target1000.bin'))
    const bundle = await loadBundle([file])
    expect(bundle.parts.map((p) => [p.offset, p.kind])).toEqual([[0x1000, 'bootloader'], [0x8000, 'partition-table']])
  })

  it('reads OFFSET=FILE pairs and classifies each part', async () => {
    const dir = writeBuild(path.join(root, 'pairs'), 'dash')
    const bundle = await loadBundle([
      `0x10000=${path.join(dir, 'hello-world.bin')}`,
      `0x1000=${path.join(dir, 'bootloader/bootloader.bin')}`,
      `0x8000=${path.join(dir, 'partition_table/partition-table.bin')}`,
    ], { chip: 'esp32' })
    expect(bundle.parts.map((p) => [p.offset, p.kind])).toEqual([[0x10000, 'app'], [0x1000, 'bootloader'], [0x8000, 'partition-table']])
    expect(validateBundle(bundle).ok).toBe(true)
  })

  it('refuses a mix of a path and pairs, and a path that does not exist', async () => {
    await expect(loadBundle([root, '0x1000=x.bin'])).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(loadBundle([path.join(root, 'nope')])).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('tells a mistyped offset from a missing file, and a device from a file', async () => {
    await expect(loadBundle(['0xZZ=app.bin'])).rejects.toMatchObject({ code: 'USAGE', message: '0xZZ is not a flash offset: write it in hex or decimal, e.g. 0x10000=app.bin' })
    const bundle = await loadBundle(['0x9000=/dev/zero', `0x10000=${path.join(root, 'nope.bin')}`])
    expect(bundle.problems.map((p) => p.message)).toEqual(['/dev/zero (for 0x9000) is not a regular file', `${path.join(root, 'nope.bin')} (for 0x10000) does not exist`])
  })
})
