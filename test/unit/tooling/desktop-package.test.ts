// The desktop package configuration, checked without building packages (that needs the
// Electron runtime from GitHub): what it packs, where the entry looks, the icons it declares.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import electronViteConfig from '../../../electron.vite.config'
import desktopConfig from '../../../electron-builder.config'
import { PRELOAD_SCRIPT, RENDERER_PAGE } from '../../../src/main/app-layout'
import { REPO_ROOT } from '../../support/processes'

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> }

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(path.join(REPO_ROOT, file))
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG')
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

/** The files electron-vite writes for the entry, the preload and the page, from its configuration. */
function builtFiles(): { main: string; preload: string; renderer: string } {
  const config = electronViteConfig as unknown as Record<'main' | 'preload' | 'renderer', { build: { outDir: string; rollupOptions: { input: Record<string, string>; output?: { entryFileNames?: string } } } }>
  const entry = (part: 'main' | 'preload', extension: string) => {
    const { outDir, rollupOptions } = config[part].build
    const [name] = Object.keys(rollupOptions.input)
    return path.posix.join(outDir, (rollupOptions.output?.entryFileNames ?? `[name]${extension}`).replace('[name]', name as string))
  }
  return { main: entry('main', '.js'), preload: entry('preload', '.js'), renderer: path.posix.join(config.renderer.build.outDir, 'index.html') }
}

describe('desktop packages', () => {
  it('name the app and make AppImage and .deb, NSIS and DMG', () => {
    expect(desktopConfig).toMatchObject({ appId: 'io.pairkit.app', productName: 'PairKit' })
    expect(desktopConfig.linux?.target).toEqual(['AppImage', 'deb'])
    expect(desktopConfig.win?.target).toEqual(['nsis'])
    expect(desktopConfig.mac?.target).toEqual(['dmg'])
  })

  it('pack package.json and the three bundles only: no sources, tests, docs, scripts or CLI build', () => {
    const files = desktopConfig.files as string[]
    expect(files).toEqual(expect.arrayContaining(['package.json', 'out/main/**', 'out/preload/**', 'out/renderer/**']))
    for (const pattern of files) expect(pattern).toMatch(/^(package\.json|out\/(main|preload|renderer)\/\*\*)$/)
  })

  it('pack the entry that package.json names and the files the entry loads, where electron-vite writes them', () => {
    const built = builtFiles()
    expect(pkg.main).toBe(built.main)
    const entryDir = path.posix.dirname(built.main)
    expect(path.posix.join(entryDir, RENDERER_PAGE)).toBe(built.renderer)
    expect(path.posix.join(entryDir, PRELOAD_SCRIPT)).toBe(built.preload)
    const entry = readFileSync(path.join(REPO_ROOT, 'src/main/index.ts'), 'utf8')
    expect(entry).toMatch(/path\.join\(here, RENDERER_PAGE\)/)
    expect(entry).toMatch(/preload: path\.join\(here, PRELOAD_SCRIPT\)/)
  })

  it('declare icons that exist at their sizes: Linux 16 to 1024 px, Windows and macOS from one 1024 px PNG', () => {
    expect(desktopConfig.linux?.icon).toBe('resources/icons')
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) expect(pngSize(`resources/icons/${size}x${size}.png`)).toEqual({ width: size, height: size })
    expect(desktopConfig.win?.icon).toBe('resources/icon.png')
    expect(desktopConfig.mac?.icon).toBe('resources/icon.png')
    expect(pngSize('resources/icon.png')).toEqual({ width: 1024, height: 1024 })
  })

  it('are made by npm run dist, which npm test does not run', () => {
    expect(pkg.scripts.dist).toBe('node scripts/dist.js')
    expect(readFileSync(path.join(REPO_ROOT, 'scripts/test.js'), 'utf8')).not.toMatch(/'dist'|scripts\/dist|electron-builder/)
  })
})
