// Nothing the page can show tells the technician to type a command or a flag: the backend's
// messages and hints name the action, the CLI adds its flags (src/cli), the page its buttons.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { validateBundle, type Bundle } from '../../../src/common/bundle'
import { ERROR_CODES } from '../../../src/common/errors'
import { parsePortUrl } from '../../../src/common/port-url'
import { checkRemotePort } from '../../../src/renderer/src/data/remote-port'

const ROOT = path.resolve(import.meta.dirname, '../../..')
/** A flag ("--raw", "--baud 115200") or a command ("`pairkit ports`", "pairkit peer"). */
const CLI_WORDS = /(^|[\s(`'"])--[a-z][a-z-]+|`pairkit\s|\bpairkit [a-z]+\b/

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name)
    return statSync(file).isDirectory() ? sourcesUnder(file) : file.endsWith('.ts') ? [file] : []
  })
}

/** String literals of a TypeScript file, comments left out. */
function stringLiterals(file: string): string[] {
  const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  return [...code.matchAll(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|"(?:[^"\\\n]|\\.)*"/g)].map((match) => match[0])
}

describe('GUI wording', () => {
  it('no string of the backend or the shared code names a CLI flag or command, but the CLI-only USAGE hint', () => {
    const offenders = ['src/common', 'src/main']
      .flatMap((dir) => sourcesUnder(path.join(ROOT, dir)))
      // The Electron entry, and the one place that runs `pairkit twin` with its arguments (never shown).
      .filter((file) => !file.endsWith(path.join('src', 'main', 'index.ts')) && !file.endsWith(path.join('src', 'main', 'lab', 'process-lab-twin.ts')))
      .flatMap((file) => stringLiterals(file).filter((text) => CLI_WORDS.test(text)).map((text) => `${path.relative(ROOT, file)}: ${text}`))
    expect(offenders).toEqual([`src/common/errors.ts: '${ERROR_CODES.USAGE.hint}'`])
  })

  it('recognises the CLI words it looks for (the check can fail)', () => {
    for (const text of ['write it as raw data with --raw 0x10000', 'run `pairkit ports`', 'give it with --chip', 'retry with --baud 115200']) expect(text).toMatch(CLI_WORDS)
    for (const text of ['lower the baud rate to 115200', 'a sync topic prefix', 'ESP-IDF v5.4 -- built']) expect(text).not.toMatch(CLI_WORDS)
  })

  it('bundle problems say what to do without flags', () => {
    const notApp: Bundle = { source: 'test', flash: {}, problems: [], parts: [{ offset: 0x10000, name: 'README.md', kind: 'app', bytes: new TextEncoder().encode('# readme') }] }
    const messages = validateBundle(notApp).problems.map((problem) => problem.message)
    expect(messages).toContain('the target chip is unknown')
    expect(messages.some((message) => message.endsWith('pick the app .bin from the build folder, or write it as raw data'))).toBe(true)
    for (const message of messages) expect(message).not.toMatch(CLI_WORDS)
  })

  it('a mistyped port address gets one message and one hint, neither about flags', () => {
    for (const typed of ['socket://nohost', 'http://10.0.0.2:80', '', '/dev/ttyUSB0']) {
      const checked = checkRemotePort(typed)
      expect('error' in checked, typed).toBe(true)
      if (!('error' in checked)) continue
      expect(checked.error.message).toMatch(/^\S.*\.$/)
      expect(checked.error.hint).toMatch(/socket:\/\/HOST:PORT or rfc2217:\/\/HOST:PORT/)
      expect(`${checked.error.message} ${checked.error.hint}`).not.toMatch(CLI_WORDS)
    }
    expect(checkRemotePort('  rfc2217://192.168.1.20:4000 ')).toEqual({ address: 'rfc2217://192.168.1.20:4000' })
    expect(() => parsePortUrl('socket://h:0')).toThrow(/out of range/)
  })
})
