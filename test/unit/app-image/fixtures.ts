import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures')

export function fixture(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(FIXTURES, relative)))
}

export function fixtureText(relative: string): string {
  return readFileSync(path.join(FIXTURES, relative), 'utf8')
}

export const IMAGE_NAMES = [
  'bootloader_esp32',
  'bootloader_esp32_v5_2',
  'bootloader_esp32c3',
  'esp_idf_blink_esp32s2',
  'hello-world-signed',
  'helloworld-esp32c3',
] as const
