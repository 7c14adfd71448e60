// What a desktop package holds, from electron-builder itself: it packs the Linux app folder
// with a stand-in for the Electron runtime (which cannot be downloaded here) and without the
// asar archive, so the packed files can be listed. Needs the build (`npm test` runs it first).
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { PRELOAD_SCRIPT, RENDERER_PAGE } from '../../../src/main/app-layout'
import { REPO_ROOT, runToEnd, spawnTracked } from '../../support/processes'
import { makeTempDir } from '../../support/temp-dir'

type Manifest = { main: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
const readManifest = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Manifest

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  )
}

describe('the Linux desktop package', () => {
  it('holds the built app and production dependencies, and no sources or dev tools', { timeout: 180_000 }, async () => {
    expect(existsSync(path.join(REPO_ROOT, 'out/main/index.js')), 'run `npm run build` first').toBe(true)
    const dir = makeTempDir('pairkit-package-')
    const standIn = path.join(dir, 'electron-runtime')
    mkdirSync(standIn)
    writeFileSync(path.join(standIn, 'electron'), '#!/bin/sh\n')
    chmodSync(path.join(standIn, 'electron'), 0o755)
    const builder = path.join(REPO_ROOT, 'node_modules/.bin/electron-builder')
    const result = await runToEnd(
      spawnTracked(builder, ['--config', 'electron-builder.config.ts', '--linux', 'dir', `-c.electronDist=${standIn}`, `-c.directories.output=${path.join(dir, 'dist')}`, '-c.asar=false'], { cwd: REPO_ROOT }),
    )
    expect(result.code, result.stdout + result.stderr).toBe(0)

    const app = path.join(dir, 'dist/linux-unpacked/resources/app')
    expect(readdirSync(app).sort()).toEqual(['node_modules', 'out', 'package.json'])
    expect(readdirSync(path.join(app, 'out')).sort()).toEqual(['main', 'preload', 'renderer'])
    const ownFiles = filesUnder(path.join(app, 'out'))
    expect(ownFiles.filter((file) => /\.(ts|vue|map)$/.test(file))).toEqual([])

    // The entry package.json names, and the page and preload it loads, are in the package.
    const entry = readManifest(path.join(app, 'package.json')).main
    expect(existsSync(path.join(app, entry))).toBe(true)
    expect(existsSync(path.join(app, path.dirname(entry), RENDERER_PAGE))).toBe(true)
    expect(existsSync(path.join(app, path.dirname(entry), PRELOAD_SCRIPT))).toBe(true)

    // Every dependency is packed; a devDependency only where a packed package depends on it.
    const ours = readManifest(path.join(REPO_ROOT, 'package.json'))
    const modules = path.join(app, 'node_modules')
    const packed = readdirSync(modules).flatMap((name) => (name.startsWith('@') ? readdirSync(path.join(modules, name)).map((inner) => `${name}/${inner}`) : [name]))
    expect(packed).toEqual(expect.arrayContaining(Object.keys(ours.dependencies ?? {})))
    const neededByPacked = new Set(packed.flatMap((name) => Object.keys(readManifest(path.join(modules, name, 'package.json')).dependencies ?? {})))
    const devOnly = Object.keys(ours.devDependencies ?? {}).filter((name) => packed.includes(name) && !neededByPacked.has(name))
    expect(devOnly).toEqual([])
  })
})
