// An in-process harness around the twin's Loader: feed request packets, collect answers.
import { ESP32, type TwinChipDef } from '../../../src/common/esp/chips'
import { winbondJedecFor } from '../../../src/common/esp/flash-id'
import { decodeResponse, encodeRequest } from '../../../src/common/esp/packet'
import { FlashMemory } from '../../../src/twin/flash'
import { Loader } from '../../../src/twin/loader'
import { RegisterFile } from '../../../src/twin/registers'

export interface Harness {
  loader: Loader
  flash: FlashMemory
  frames: Uint8Array[]
  baud: number[]
  reboots: number
  request(op: number, data?: Uint8Array, check?: number): Promise<{ op: number; value: number; data: Uint8Array }[]>
}

export function makeHarness(chip: TwinChipDef = ESP32, size = 1 << 20): Harness {
  const flash = FlashMemory.inMemory(size)
  const harness: Harness = {
    flash,
    frames: [],
    baud: [],
    reboots: 0,
    loader: undefined as unknown as Loader,
    async request(op, data = new Uint8Array(0), check = 0) {
      harness.frames = []
      harness.loader.receive(encodeRequest(op, data, check))
      await new Promise((resolve) => setTimeout(resolve, 0))
      return harness.frames.flatMap((frame) => {
        const decoded = decodeResponse(frame)
        return decoded.ok ? [decoded.value] : []
      })
    },
  }
  const registers = new RegisterFile(chip, Uint8Array.of(1, 2, 3, 4, 5, 6), winbondJedecFor(size), () => 115200)
  harness.loader = new Loader(chip, flash, registers, {
    send: (frame) => harness.frames.push(frame),
    changeBaud: (baud) => harness.baud.push(baud),
    runUserCode: () => harness.reboots++,
  })
  return harness
}
