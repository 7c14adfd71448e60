// bin/pairkit.js runs the CLI built into out/cli, builds it when it is missing or older than
// its sources (once, however many processes start together), and `--help` loads no package.
// Runs on a copy of the sources, so the repository's own out/cli is never rebuilt under
// other tests.
import { cpSync, readFileSync, symlinkSync, utimesSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT, runToEnd, spawnTracked } from '../../support/processes'
import { makeTempDir } from '../../support/temp-dir'

function copyOfTheProject(): string {
  const root = makeTempDir('pairkit-cli-build-')
  for (const entry of ['src', 'bin', 'scripts', 'cli.vite.config.ts', 'package.json']) {
    cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true })
  }
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir')
  return root
}

const pairkit = (root: string, args: string[]) => runToEnd(spawnTracked(process.execPath, [path.join(root, 'bin/pairkit.js'), ...args], { cwd: root }))

/** Every module specifier that loading `entry` imports statically, following the build's own chunks. */
function staticImports(entry: string, seen = new Set<string>()): Set<string> {
  const specifiers = new Set<string>()
  if (seen.has(entry)) return specifiers
  seen.add(entry)
  for (const match of readFileSync(entry, 'utf8').matchAll(/^(?:import|export)\b[^'"]*?["']([^"']+)["'];?$/gm)) {
    const specifier = match[1] as string
    if (specifier.startsWith('.')) for (const inner of staticImports(path.resolve(path.dirname(entry), specifier), seen)) specifiers.add(inner)
    else specifiers.add(specifier)
  }
  return specifiers
}

describe('the built CLI', () => {
  it('is built once when missing, even by processes started together, and then runs without building', async () => {
    const root = copyOfTheProject()
    const first = await Promise.all([pairkit(root, ['--help']), pairkit(root, ['nvs', 'dump', '--help'])])
    for (const result of first) expect(result.code).toBe(0)
    expect(first[0].stdout).toMatch(/^pairkit: install, flash/)
    expect(first[1].stdout).toMatch(/^Usage: pairkit nvs dump/)
    const building = first.flatMap((result) => result.stderr.split('\n')).filter((line) => line.includes('building the CLI'))
    expect(building).toEqual(['pairkit: building the CLI (out/cli is not built)…'])

    const again = await pairkit(root, ['--help'])
    expect(again).toMatchObject({ code: 0, stderr: '' })
  })

  it('is rebuilt when one of its sources is newer than the build', async () => {
    const root = copyOfTheProject()
    expect((await pairkit(root, ['--help'])).code).toBe(0)
    const later = new Date(Date.now() + 5000)
    utimesSync(path.join(root, 'src/common/nvs/index.ts'), later, later)
    const result = await pairkit(root, ['--help'])
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('pairkit: building the CLI (src/common/nvs/index.ts changed)…\n')
  })

  it('loads no npm package for --help: services are imported when a command runs', async () => {
    const root = copyOfTheProject()
    expect((await pairkit(root, ['--help'])).code).toBe(0)
    const packages = [...staticImports(path.join(root, 'out/cli/index.js'))].filter((specifier) => !specifier.startsWith('node:'))
    expect(packages).toEqual([])
  })
})
