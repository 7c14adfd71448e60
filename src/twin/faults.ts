// Fault injection for reliability tests, seeded so a failure can be replayed:
//   drop=P        each byte (either direction) is lost with probability P
//   corrupt=P     each byte has one bit flipped with probability P
//   stall=P       each chunk towards the host is held back 200–1000 ms with probability P
//   disconnect-after=N  the connection is cut once N bytes have been sent to the host
//   corrupt-reads=P  each block of flash data the loader sends (READ_FLASH_SLOW answers,
//                 READ_FLASH packets) has one bit flipped with probability P: damage inside
//                 an intact frame, which only an MD5 over the data can reveal
//   panic[=S]     the app panics (Guru Meditation) S seconds after app_main (default 2)
//   bootloop=N    the app restarts every N seconds
//   flood=B       the app prints numbered log lines at B bytes per second (as far as the wire
//                 carries them; without wire timing, as fast as asked)
//   datagram-drop=P  each datagram the firmware receives from its peer is lost with
//                 probability P, as on a lossy link (the bridge test must see it)
//   seed=N        PRNG seed (default 1)
import { PairKitError } from '../common/errors'
import { seededRandom } from '../common/seeded-random'

export interface FaultSpec {
  drop: number
  corrupt: number
  stall: number
  disconnectAfter?: number
  corruptReads?: number
  panicAfterMs?: number
  bootloopMs?: number
  floodBytesPerSecond?: number
  datagramDrop?: number
  seed: number
}

export const NO_FAULTS: FaultSpec = { drop: 0, corrupt: 0, stall: 0, seed: 1 }

export function parseFaults(text: string | undefined): FaultSpec {
  const spec: FaultSpec = { ...NO_FAULTS }
  if (!text) return spec
  for (const part of text.split(',').map((item) => item.trim()).filter(Boolean)) {
    const [key = '', raw] = part.split('=', 2)
    const value = raw === undefined ? undefined : Number(raw)
    const bad = () => new PairKitError('USAGE', `Bad fault "${part}" in --faults`, { hint: 'Use e.g. drop=0.001,corrupt=0.001,stall=0.01,disconnect-after=4096,corrupt-reads=0.5,panic,bootloop=10,flood=200000,datagram-drop=0.2,seed=7.' })
    const probability = () => {
      if (value === undefined || !(value >= 0 && value <= 1)) throw bad()
      return value
    }
    const positive = () => {
      if (value === undefined || !(value > 0) || !Number.isFinite(value)) throw bad()
      return value
    }
    switch (key) {
      case 'drop': spec.drop = probability(); break
      case 'corrupt': spec.corrupt = probability(); break
      case 'stall': spec.stall = probability(); break
      case 'disconnect-after': spec.disconnectAfter = Math.floor(positive()); break
      case 'corrupt-reads': spec.corruptReads = probability(); break
      case 'panic': spec.panicAfterMs = (value === undefined ? 2 : positive()) * 1000; break
      case 'bootloop': spec.bootloopMs = positive() * 1000; break
      case 'flood': spec.floodBytesPerSecond = positive(); break
      case 'datagram-drop': spec.datagramDrop = probability(); break
      case 'seed': spec.seed = Math.floor(value ?? Number.NaN); if (!Number.isFinite(spec.seed)) throw bad(); break
      default: throw bad()
    }
  }
  return spec
}

// Seeded so a failure can be replayed (the same generator the fuzz tests use).
export { seededRandom }

/** Applies the byte-level faults to one direction of a connection. */
export class ByteFaults {
  constructor(
    private readonly spec: FaultSpec,
    private readonly random: () => number,
  ) {}

  get active(): boolean {
    return this.spec.drop > 0 || this.spec.corrupt > 0
  }

  apply(bytes: Uint8Array): Uint8Array {
    if (!this.active) return bytes
    const out: number[] = []
    for (const byte of bytes) {
      if (this.spec.drop > 0 && this.random() < this.spec.drop) continue
      if (this.spec.corrupt > 0 && this.random() < this.spec.corrupt) out.push(byte ^ (1 << Math.floor(this.random() * 8)))
      else out.push(byte)
    }
    return Uint8Array.from(out)
  }

  stallMs(): number {
    return this.spec.stall > 0 && this.random() < this.spec.stall ? 200 + Math.floor(this.random() * 800) : 0
  }
}

/** corrupt-reads: flips one bit of a block of flash data on its way to the host. */
export function flashReadFaults(spec: FaultSpec): (data: Uint8Array) => Uint8Array {
  const probability = spec.corruptReads ?? 0
  if (probability === 0) return (data) => data
  const random = seededRandom(spec.seed)
  return (data) => {
    if (data.length === 0 || random() >= probability) return data
    const copy = data.slice()
    const bit = Math.floor(random() * data.length * 8)
    copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7))
    return copy
  }
}

/**
 * datagram-drop: whether the next datagram from the peer is lost. One generator per twin, so
 * the losses go on in sequence across reboots and replay exactly from the seed.
 */
export function datagramLoss(spec: FaultSpec): (() => boolean) | undefined {
  const probability = spec.datagramDrop ?? 0
  if (probability === 0) return undefined
  // Its own stream, apart from the byte faults' (the serial link's traffic must not shift it).
  const random = seededRandom(spec.seed ^ 0x5eed_da7a)
  return () => random() < probability
}
