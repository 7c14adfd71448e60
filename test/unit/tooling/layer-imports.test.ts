// The layering rule against the project's real table: what each folder may import.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { RuleTester } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'
import layerImports, { layerOf, violation } from '../../../eslint-rules/layer-imports.js'
import { LAYERS } from '../../../eslint-rules/layers.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const at = (file: string) => path.join(ROOT, file)

RuleTester.describe = describe
RuleTester.it = it
RuleTester.itOnly = it.only
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' } })

const ok = (file: string, code: string) => ({ filename: at(file), code })
const bad = (file: string, code: string, errors = 1) => ({ filename: at(file), code, errors: Array.from({ length: errors }, () => ({ messageId: 'layer' })) })

tester.run('layer-imports', layerImports, {
  valid: [
    ok('src/common/esp/slip.ts', "import { x } from './packet'\nimport { PairKitError } from '../errors'\nimport { z } from 'zod'"),
    ok('src/main/backend.ts', "import { x } from '../common/errors'\nimport fs from 'node:fs'\nimport net from 'net'\nimport aedes from 'aedes'\nimport { SerialPort } from 'serialport'\nimport { CHIP_DEFS } from 'esptool-js/lib/targets/index.js'"),
    ok('src/main/index.ts', "import { app } from 'electron'\nimport { Backend } from './backend'"),
    ok('src/renderer/src/stores/devices.ts', "import { ref } from 'vue'\nimport { defineStore } from 'pinia'\nimport { RpcClient } from '../../../common/rpc/client'\nimport { api } from '../api/client'"),
    ok('src/preload/index.ts', "import { contextBridge } from 'electron'\nimport type { Contract } from '../common/contract'\nimport { type Other } from '../common/rpc/messages'\nimport { PAIRKIT_CHANNEL } from '../common/rpc/window-bridge'"),
    ok('src/cli/commands/twin.ts', "import { startTwin } from '../../twin'\nimport { Backend } from '../../main/backend'\nimport { resolve } from 'node:path'"),
    ok('src/twin/device.ts', "import { FlashModel } from './flash'\nimport { link } from '../main/serial/link'\nimport mqtt from 'mqtt'"),
    ok('test/unit/nvs/reader.test.ts', "import { it } from 'vitest'\nimport fs from 'node:fs'\nimport { readNvs } from '../../../src/common/nvs'\nimport { makeTempDir } from '../../support/temp-dir'\nimport { fixture } from '../app-image/fixtures'\nimport mqttPacket from 'mqtt-packet'"),
    ok('test/unit/main/stun-binding.test.ts', "import { bindingResponse } from '../../../src/main/peer/stun-server'\nimport { seededRandom } from '../serverless/seeded-random'"),
    ok('test/unit/cli/nvs.test.ts', "import { runCli } from '../../../src/cli/main'\nimport { FIXTURES } from '../nvs/fixtures'"),
    ok('test/integration/twin/boot.test.ts', "import { startTwin } from '../../../src/twin'\nimport { appLikeImage } from '../../../bench/app-like-image'\nimport aedes from 'aedes'"),
    ok('test/e2e/flash.test.ts', "import { chromium } from 'playwright-core'\nimport { esp32Build } from '../unit/bundle/build-fixtures'\nimport { validateBundle } from '../../src/common/bundle'"),
    // Files outside every layer (configs) are not checked.
    ok('vitest.config.ts', "import { defineConfig } from 'vitest/config'\nimport { x } from './src/main/backend'"),
  ],
  invalid: [
    // src/common: src/common and zod only.
    bad('src/common/esp/slip.ts', "import aedes from 'aedes'"),
    bad('src/common/esp/slip.ts', "import fs from 'node:fs'\nimport path from 'path'", 2),
    bad('src/common/esp/slip.ts', "import { x } from '../../main/x'"),
    bad('src/common/esp/slip.ts', "import { ref } from 'vue'\nimport { app } from 'electron'", 2),
    bad('src/common/esp/slip.ts', "export * from '../../main/x'\nexport { y } from '../../twin/y'\nconst fs = await import('node:fs')", 3),
    bad('src/common/esp/slip.ts', "type T = typeof import('../../main/backend')"),
    // src/main: not the twin (which imports src/main), the CLI, the renderer; electron only in the entry; no devDependencies.
    bad('src/main/backend.ts', "import { startTwin } from '../twin/x'"),
    bad('src/main/peer/bridge.ts', "import { startTwin } from '../../twin/index'\nimport { runCli } from '../../cli/main'\nimport { x } from '../../renderer/src/x'", 3),
    bad('src/main/backend.ts', "import { app } from 'electron'"),
    bad('src/main/backend.ts', "import { it } from 'vitest'\nimport { chromium } from 'playwright-core'", 2),
    // src/renderer: no Node, no backend packages, no backend layers, not even their types.
    bad('src/renderer/src/stores/devices.ts', "import mqtt from 'mqtt'"),
    bad('src/renderer/src/stores/devices.ts', "import path from 'node:path'\nimport { ipcRenderer } from 'electron'", 2),
    bad('src/renderer/src/stores/devices.ts', "import type { Backend } from '../../../main/backend'"),
    // src/preload: src/common's types, not its code (beyond the channel name).
    bad('src/preload/index.ts', "import { RpcClient } from '../common/rpc/client'"),
    bad('src/preload/index.ts', "import { x } from '../main/x'\nimport fs from 'node:fs'", 2),
    // src/twin and src/cli: no renderer, no electron; the twin not the CLI.
    bad('src/twin/device.ts', "import { runCli } from '../cli/main'\nimport { app } from 'electron'", 2),
    bad('src/cli/main.ts', "import { x } from '../renderer/src/x'\nimport { app } from 'electron'", 2),
    // Tests are held to the layer of the code they test.
    bad('test/unit/nvs/reader.test.ts', "import { readZipEntries } from '../../../src/main/bundle'\nimport { seededRandom } from '../../../src/twin/faults'", 2),
    bad('test/unit/nvs/reader.test.ts', "import { harness } from '../twin/loader-harness'\nimport aedes from 'aedes'", 2),
    bad('test/unit/main/x.test.ts', "import { startTwin } from '../../../src/twin'\nimport { app } from 'electron'", 2),
    bad('test/e2e/flash.test.ts', "import { Backend } from '../../src/main/backend'"),
    bad('test/integration/host/web-host.test.ts', "import { x } from '../../../src/renderer/src/x'"),
  ],
})

describe('the layer table', () => {
  it('names only layers it defines', () => {
    const names = new Set(LAYERS.map((layer) => layer.name))
    const referenced = LAYERS.flatMap((layer) => [...layer.may, ...(layer.types ?? [])])
    expect(referenced.filter((name) => !names.has(name))).toEqual([])
  })

  it('puts the Electron entry before src/main and each test folder before test/unit', () => {
    expect(layerOf(at('src/main/index.ts'))?.name).toBe('src/main/index.ts')
    expect(layerOf(at('src/main/peer/bridge.ts'))?.name).toBe('src/main')
    expect(layerOf(at('test/unit/twin/loader.test.ts'))?.name).toBe('src/twin tests')
    expect(layerOf(at('test/unit/nvs/reader.test.ts'))?.name).toBe('src/common tests')
    expect(layerOf(at('src/mainframe.ts'))).toBeUndefined()
  })

  it('says what the layer may import instead', () => {
    expect(violation(at('src/common/x.ts'), 'aedes', false)).toBe(
      "src/common may not import the package 'aedes'; it may import src/common, zod (eslint-rules/layers.js).",
    )
  })
})
