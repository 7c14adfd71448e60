// Which folder may import what. The rule `pairkit/layer-imports` reports every import that
// this table does not allow; docs/ARCHITECTURE.md ("Layers") states the same in prose.
//
// A file belongs to the first layer with a path that contains it, so files come before
// their folders and deeper folders before shallower ones. For each layer:
//   paths     folders or files, from the repository root
//   may       layers whose files it may import (name its own layer to import its own files)
//   types     layers it may import types from, and only types (`import type`)
//   files     single files outside `may` that it may import
//   packages  npm packages, by package name
//   node      whether Node built-ins may be imported
import { readFileSync } from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))

/** What the packaged app ships: runtime code may use these and no devDependency. */
const DEPENDENCIES = Object.keys(pkg.dependencies ?? {})
/** What tests add: their runner and browser driver, and the independent implementations and
 * archivers they check the project's codecs against or build fixtures with. */
const TEST_PACKAGES = ['vitest', 'playwright-core', 'fflate', 'mqtt-packet', 'werift-ice', 'esptool-js']

const COMMON = ['src/common']
const MAIN = ['src/main', ...COMMON]
const TWIN = ['src/twin', ...MAIN]
const CLI = ['src/cli', ...TWIN]
const tests = (layers) => [...layers.map((layer) => `${layer} tests`), 'test support']

export const LAYERS = [
  // Application code.
  { name: 'src/main/index.ts', paths: ['src/main/index.ts'], may: MAIN, packages: [...DEPENDENCIES, 'electron'], node: true },
  { name: 'src/main', paths: ['src/main'], may: MAIN, packages: DEPENDENCIES, node: true },
  { name: 'src/common', paths: ['src/common'], may: COMMON, packages: ['zod'], node: false },
  {
    name: 'src/preload',
    paths: ['src/preload'],
    may: ['src/preload'],
    types: COMMON,
    // The IPC channel name it shares with the Electron entry (a string, inlined by the build).
    files: ['src/common/rpc/window-bridge.ts'],
    packages: ['electron'],
    node: false,
  },
  { name: 'src/renderer', paths: ['src/renderer'], may: ['src/renderer', ...COMMON], packages: ['vue', 'pinia', 'uplot'], node: false },
  { name: 'src/cli', paths: ['src/cli'], may: CLI, packages: DEPENDENCIES, node: true },
  { name: 'src/twin', paths: ['src/twin'], may: TWIN, packages: DEPENDENCIES, node: true },

  // Unit tests: test/unit/<layer> tests src/<layer>; every other folder of test/unit is named
  // after an area of src/common and tests src/common only. A test may import what the code it
  // tests may import, that code, the tests of those layers, test support, Node and test packages.
  { name: 'src/main tests', paths: ['test/unit/main'], may: [...MAIN, ...tests(MAIN)], packages: [...DEPENDENCIES, ...TEST_PACKAGES], node: true },
  { name: 'src/twin tests', paths: ['test/unit/twin'], may: [...TWIN, ...tests(TWIN)], packages: [...DEPENDENCIES, ...TEST_PACKAGES], node: true },
  { name: 'src/cli tests', paths: ['test/unit/cli'], may: [...CLI, ...tests(CLI)], packages: [...DEPENDENCIES, ...TEST_PACKAGES], node: true },
  {
    name: 'src/renderer tests',
    paths: ['test/unit/renderer'],
    may: ['src/renderer', ...COMMON, ...tests(['src/renderer', ...COMMON])],
    packages: ['vue', 'pinia', ...TEST_PACKAGES],
    node: true,
  },
  {
    name: 'tooling tests',
    paths: ['test/unit/tooling'],
    may: ['tooling tests', 'lint rules', 'build scripts', 'test support'],
    // The build and packaging configurations, and where the Electron entry looks for the bundles.
    files: ['electron.vite.config.ts', 'electron-builder.config.ts', 'src/main/app-layout.ts'],
    packages: ['eslint', 'typescript-eslint', ...TEST_PACKAGES],
    node: true,
  },
  { name: 'src/common tests', paths: ['test/unit'], may: [...COMMON, ...tests(COMMON)], packages: ['zod', ...TEST_PACKAGES], node: true },
  // Integration tests run the backend for real: every Node layer, and the bench's image builder.
  { name: 'integration tests', paths: ['test/integration'], may: [...CLI, ...tests(CLI), 'integration tests', 'bench'], packages: [...DEPENDENCIES, ...TEST_PACKAGES], node: true },
  // End-to-end tests drive the built UI in a browser and the backend through its processes:
  // of src/ they may use src/common's data only.
  { name: 'e2e tests', paths: ['test/e2e'], may: ['e2e tests', ...COMMON, ...tests(COMMON)], packages: TEST_PACKAGES, node: true },
  { name: 'test support', paths: ['test/support'], may: ['test support'], packages: TEST_PACKAGES, node: true },

  // Tools.
  { name: 'bench', paths: ['bench'], may: ['bench', ...CLI, 'test support'], packages: DEPENDENCIES, node: true },
  { name: 'lint rules', paths: ['eslint-rules'], may: ['lint rules'], packages: ['eslint'], node: true },
  // bin/pairkit.js runs the built CLI.
  { name: 'build scripts', paths: ['scripts', 'bin'], may: ['build scripts'], files: ['out/cli/index.js'], packages: [], node: true },
]
