// esp_app_desc_t and esp_bootloader_desc_t as bytes: the inverse of descriptors.ts, for
// images PairKit makes itself. Strings longer than their field (less its NUL) are refused.
import { PairKitError } from '../errors'
import type { AppDescriptor, BootloaderDescriptor } from './descriptors'
import { APP_DESC_LENGTH, APP_DESC_MAGIC, BOOTLOADER_DESC_LENGTH, BOOTLOADER_DESC_MAGIC } from './image-format'

export function encodeAppDescriptor(desc: AppDescriptor): Uint8Array {
  const out = new Uint8Array(APP_DESC_LENGTH)
  const view = new DataView(out.buffer)
  view.setUint32(0x00, APP_DESC_MAGIC, true)
  view.setUint32(0x04, desc.secureVersion, true)
  putString(out, 0x10, 32, desc.version, 'version')
  putString(out, 0x30, 32, desc.projectName, 'project name')
  putString(out, 0x50, 16, desc.time, 'time')
  putString(out, 0x60, 16, desc.date, 'date')
  putString(out, 0x70, 32, desc.idfVersion, 'ESP-IDF version')
  if (!/^[0-9a-f]{64}$/.test(desc.elfSha256)) throw new PairKitError('BAD_INPUT', 'the ELF SHA-256 must be 64 lower-case hex digits')
  for (let i = 0; i < 32; i++) out[0x90 + i] = Number.parseInt(desc.elfSha256.slice(i * 2, i * 2 + 2), 16)
  view.setUint16(0xb0, desc.minEfuseBlockRevision, true)
  view.setUint16(0xb2, desc.maxEfuseBlockRevision, true)
  out[0xb4] = desc.mmuPageSizeLog2
  return out
}

export function encodeBootloaderDescriptor(desc: BootloaderDescriptor): Uint8Array {
  const out = new Uint8Array(BOOTLOADER_DESC_LENGTH)
  out[0] = BOOTLOADER_DESC_MAGIC
  out[3] = desc.secureVersion
  new DataView(out.buffer).setUint32(4, desc.version, true)
  putString(out, 8, 32, desc.idfVersion, 'ESP-IDF version')
  putString(out, 40, 24, desc.dateTime, 'date and time')
  return out
}

function putString(out: Uint8Array, at: number, field: number, text: string, what: string): void {
  const bytes = new TextEncoder().encode(text)
  if (bytes.length > field - 1) throw new PairKitError('BAD_INPUT', `the ${what} "${text}" is longer than the ${field - 1} bytes its field holds`)
  out.set(bytes, at)
}
