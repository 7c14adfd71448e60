// What a chip prints before the app runs: the mask ROM's lines (banner, reset reason, boot mode,
// the loading of the second-stage bootloader) and the second-stage bootloader's and app start-up's
// ESP-IDF records (tags boot, cpu_start, app_init, main_task).
import type { LogEventBody, RebootCause } from './events'
import type { EspHandler } from './example'
import type { ParserState } from './parser-state'

const RESET = /^rst:(0x[0-9a-fA-F]+) \(([^)]*)\),boot:(0x[0-9a-fA-F]+) \((.*)\)\s*$/
const MODE = /^mode:[A-Z]+, clock div:/
const BOOTLOADER = /^(?:ESP-IDF (\S+) )?2nd stage bootloader$/
const LOADED_APP = /^Loaded app from partition at offset (0x[0-9a-fA-F]+)$/
const APP_INFO = /^(Project name|App version|Compile time|ELF file SHA256|ESP-IDF):\s+(.*)$/
const APP_INFO_KEYS: Readonly<Record<string, string>> = {
  'Project name': 'project',
  'App version': 'version',
  'Compile time': 'compile-time',
  'ELF file SHA256': 'elf-sha256',
  'ESP-IDF': 'idf',
}

/** The ROM's reset reason names (they differ per chip) on reboot causes. */
export function resetCause(reason: string): RebootCause {
  const r = reason.toUpperCase()
  if (r.includes('POWERON')) return 'power-on'
  if (r.includes('DEEPSLEEP')) return 'deep-sleep'
  if (r.includes('WDT')) return 'watchdog'
  if (r.includes('BROWN')) return 'brownout'
  if (r.includes('SW')) return 'software'
  if (r.includes('EXT') || r.includes('USB') || r.includes('JTAG') || r.includes('CHIP')) return 'external'
  return 'other'
}

/** A ROM line, or undefined. */
export function romLine(text: string, state: ParserState): LogEventBody | undefined {
  const t = null
  const format = 'rom' as const
  let plain = false
  switch (text.charCodeAt(0)) {
    case 114 /* r */: {
      const match = text.startsWith('rst:') ? RESET.exec(text) : null
      if (!match) return undefined
      state.newBoot()
      return {
        kind: 'reboot', t, format, cause: resetCause(match[2] as string),
        resetReason: match[2] as string, resetCode: parseInt(match[1] as string, 16), bootMode: match[4] as string,
      }
    }
    case 101 /* e */:
      if (text.startsWith('ets ') && !text.startsWith('ets_')) return { kind: 'boot', t, format, event: 'rom-banner', detail: text }
      plain = text.startsWith('entry 0x') || text.startsWith('ets_main.c ')
      break
    case 69 /* E */:
      if (text.startsWith('ESP-ROM:')) return { kind: 'boot', t, format, event: 'rom-banner', detail: text }
      break
    case 119 /* w */:
      if (text === 'waiting for download') return { kind: 'boot', t, format, event: 'download-mode' }
      break
    case 105 /* i */:
      if (text.startsWith('invalid header: ')) return { kind: 'boot', t, format, event: 'invalid-header', detail: text.slice(16) }
      break
    case 99 /* c */:
      plain = text.startsWith('configsip: ') || text.startsWith('clk_drv:')
      break
    case 109 /* m */:
      plain = MODE.test(text)
      break
    case 108 /* l */:
      plain = text.startsWith('load:0x')
      break
    case 83 /* S */:
      plain = text.startsWith('SPIWP:') || text.startsWith('Saved PC:')
      break
    case 66 /* B */:
      plain = text.startsWith('Build:')
      break
    case 102 /* f */:
      plain = text.startsWith('flash read err')
      break
  }
  return plain ? { kind: 'raw', t, format, text } : undefined
}

/** Tag "boot": the second-stage bootloader. */
export const bootloaderLines: EspHandler = (record, state) => {
  const m = record.message
  const bootloader = BOOTLOADER.exec(m)
  if (bootloader) {
    state.newBoot()
    return { kind: 'boot', t: record.t, format: 'esp-idf', event: 'bootloader', ...(bootloader[1] ? { version: bootloader[1] } : {}) }
  }
  const loaded = LOADED_APP.exec(m)
  return loaded ? { kind: 'boot', t: record.t, format: 'esp-idf', event: 'app-loaded', offset: parseInt(loaded[1] as string, 16) } : undefined
}

/** Tags cpu_start and app_init: the app's description. */
export const appInfoLines: EspHandler = (record) => {
  const match = APP_INFO.exec(record.message)
  if (!match) return undefined
  return { kind: 'boot', t: record.t, format: 'esp-idf', event: 'app-info', key: APP_INFO_KEYS[match[1] as string] as string, value: (match[2] as string).trim() }
}

/** Tag main_task. */
export const mainTaskLines: EspHandler = (record) =>
  record.message === 'Calling app_main()' ? { kind: 'boot', t: record.t, format: 'esp-idf', event: 'app-main' } : undefined
