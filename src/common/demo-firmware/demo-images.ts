// The demo firmware's two images: a second-stage bootloader and the serverless_mqtt app.
// They are well-formed ESP images (header, segments at real load addresses, checksum,
// SHA-256, descriptors) that PairKit's twin boots as the bridge firmware. Their code segments
// hold filler bytes, not machine code: a real chip must never be given them, and the lab
// writes them only to its own twins.
import { encodeAppDescriptor, encodeBootloaderDescriptor } from '../app-image/encode-descriptors'
import { encodeImage, nextSegmentDataOffset, type ImageSegmentInput } from '../app-image/encode-image'
import { Sha256, toHex } from '../app-image/sha256'
import { BRIDGE_PROJECT_NAME } from '../config/contract'
import { PairKitError } from '../errors'
import { demoMemory, DEMO_CHIPS, type DemoMemory } from './demo-memory'

export interface DemoFirmwareOptions {
  /** esp32, esp32s3 or esp32c3. */
  chip: string
  /** The app's version string (esp_app_desc_t.version), at most 31 bytes. */
  version?: string
}

/** The descriptor layout the images follow (fields up to mmu_page_size, ESP-IDF v5.4). */
export const DEMO_IDF_VERSION = 'v5.4-pairkit-demo'
/** A fixed build date keeps the bundle the same from run to run, so its SHA-256 names it. */
export const DEMO_BUILD_DATE = 'Jan  1 2025'
export const DEMO_BUILD_TIME = '00:00:00'
export const DEMO_APP_VERSION = 'pairkit-demo-1'
const MMU_PAGE = 0x10000
const NOTICE = 'PairKit demo firmware for the virtual lab: serverless_mqtt, as PairKit\'s twin runs it. The code segments are filler, not machine code; do not write this image to a board.'

export function demoBootloaderImage(options: DemoFirmwareOptions): Uint8Array {
  const memory = memoryFor(options.chip)
  const descriptor = encodeBootloaderDescriptor({ version: 1, secureVersion: 0, idfVersion: DEMO_IDF_VERSION, dateTime: `${DEMO_BUILD_DATE} ${DEMO_BUILD_TIME}` })
  const iram = filler(`bootloader iram ${options.chip}`, 0x800)
  return encodeImage({
    chip: options.chip,
    entryPoint: memory.bootloader.iram + 0x40,
    segments: [
      { loadAddress: memory.bootloader.dram, data: concat(descriptor, filler(`bootloader dram ${options.chip}`, 0x100)) },
      { loadAddress: memory.bootloader.iram, data: iram },
    ],
    maxRevFull: memory.maxRevFull,
  })
}

export function demoAppImage(options: DemoFirmwareOptions): Uint8Array {
  const memory = memoryFor(options.chip)
  const rodata = padToWords(concat(new TextEncoder().encode(NOTICE), new Uint8Array(1)))
  const data = filler(`app dram ${options.chip}`, 0x80)
  const text = filler(`app irom ${options.chip}`, 0x2000)
  const iram = filler(`app iram ${options.chip}`, 0x400)
  // The build writes the ELF's SHA-256 into the descriptor; this image has no ELF, so the
  // field holds the SHA-256 of what stands in for it: every segment's contents.
  const elf = new Sha256()
  for (const part of [rodata, data, text, iram]) elf.update(part)
  const descriptor = encodeAppDescriptor({
    projectName: BRIDGE_PROJECT_NAME,
    version: options.version ?? DEMO_APP_VERSION,
    idfVersion: DEMO_IDF_VERSION,
    date: DEMO_BUILD_DATE,
    time: DEMO_BUILD_TIME,
    elfSha256: toHex(elf.digest()),
    secureVersion: 0,
    minEfuseBlockRevision: 0,
    maxEfuseBlockRevision: 199,
    mmuPageSizeLog2: 16,
  })
  // Flash-mapped segments sit where file offset ≡ load address (mod the MMU page): segment 0's
  // data starts at file offset 0x20, so DROM loads at page + 0x20; IROM gets its own page.
  const segments: ImageSegmentInput[] = [{ loadAddress: memory.app.drom + 0x20, data: concat(descriptor, rodata) }, { loadAddress: memory.app.dram, data }]
  segments.push({ loadAddress: memory.app.irom + MMU_PAGE + (nextSegmentDataOffset(segments) % MMU_PAGE), data: text })
  segments.push({ loadAddress: memory.app.iram, data: iram })
  return encodeImage({ chip: options.chip, entryPoint: memory.app.iram + 0x20, segments, maxRevFull: memory.maxRevFull })
}

function memoryFor(chip: string): DemoMemory {
  const memory = demoMemory(chip)
  if (!memory) throw new PairKitError('USAGE', `there is no demo firmware for ${chip}`, { hint: `Choose one of ${DEMO_CHIPS.join(', ')}.` })
  return memory
}

/** Deterministic bytes: SHA-256 in counter mode over a label. */
function filler(label: string, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let block = 0; block * 32 < length; block++) {
    const hash = new Sha256().update(new TextEncoder().encode(`${label}#${block}`)).digest()
    out.set(hash.subarray(0, Math.min(32, length - block * 32)), block * 32)
  }
  return out
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

function padToWords(bytes: Uint8Array): Uint8Array {
  return bytes.length % 4 === 0 ? bytes : concat(bytes, new Uint8Array(4 - (bytes.length % 4)))
}
