// The fixture app under another project name (esp_app_desc_t.project_name), its checksum and
// SHA-256 fixed, so a twin boots it as that firmware (serverless_mqtt: the bridge).
import { createHash } from 'node:crypto'
import { parseImage } from '../../../src/common/app-image'
import { fixture } from './fixtures'

export const FIXTURE_APP = fixture('images/hello-world-signed.bin')

export function renamedApp(name: string, app: Uint8Array = FIXTURE_APP): Uint8Array {
  const image = new Uint8Array(app)
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
