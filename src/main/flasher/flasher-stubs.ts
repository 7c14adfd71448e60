// The flasher stubs (esp-flasher-stub, Apache-2.0 OR MIT) as esptool-js 0.7.0 bundles them:
// the one thing PairKit takes from esptool-js. Everything else about a chip is in
// common/esp/chips.
import { getStubJsonByChipName } from 'esptool-js/lib/stubFlasher.js'
import type { ChipDef } from '../../common/esp/chips'

export interface StubImage {
  entry: number
  text: Uint8Array
  textStart: number
  data: Uint8Array
  dataStart: number
}

/** esptool-js bundles two ESP32-P4 stubs and picks one by revision; every other chip has one. */
const STUB_BY_REVISION: ReadonlySet<string> = new Set(['esp32p4'])

/**
 * The flasher stub for `chip`, or undefined if none is bundled. `revision` (major × 100 +
 * minor) is asked for only where the choice depends on it.
 */
export async function loadStub(chip: ChipDef, revision: () => Promise<number | undefined>): Promise<StubImage | undefined> {
  const stub = await getStubJsonByChipName(chip.displayName, STUB_BY_REVISION.has(chip.name) ? await revision() : undefined)
  if (!stub) return undefined
  return { entry: stub.entry, text: stub.decodedText, textStart: stub.text_start, data: stub.decodedData, dataStart: stub.data_start }
}
