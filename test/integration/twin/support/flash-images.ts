// Flash contents for booting the twin: Espressif's fixture bootloader, partition table and
// app, and the app renamed (for example to serverless_mqtt) with its checksum and SHA-256 fixed.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseImage } from '../../../../src/common/app-image'

const fixtures = path.resolve(__dirname, '../../../fixtures')
export const BOOTLOADER = readFileSync(path.join(fixtures, 'images/bootloader_esp32_v5_2.bin'))
export const TABLE = readFileSync(path.join(fixtures, 'partition-tables/partitions_singleapp.bin'))
export const APP = readFileSync(path.join(fixtures, 'images/hello-world-signed.bin'))
/** The "nvs" partition of partitions_singleapp.bin. */
export const NVS_OFFSET = 0x9000

/** The fixture app with esp_app_desc_t.project_name set to `name`, checksum and SHA-256 fixed. */
export function renamedApp(name: string): Uint8Array {
  const image = new Uint8Array(APP)
  const info = parseImage(image)
  const at = 0x20 + 0x30
  const field = new Uint8Array(32)
  field.set(new TextEncoder().encode(name))
  const checksumAt = info.imageLength - 1 - (info.header.hashAppended ? 32 : 0)
  let xor = 0
  for (let i = 0; i < 32; i++) xor ^= (image[at + i] ?? 0) ^ (field[i] ?? 0)
  image.set(field, at)
  image[checksumAt] = (image[checksumAt] ?? 0) ^ xor
  if (info.header.hashAppended) image.set(createHash('sha256').update(image.subarray(0, info.imageLength - 32)).digest(), info.imageLength - 32)
  return image
}
