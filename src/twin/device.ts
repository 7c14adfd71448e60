// The virtual chip: reset and strapping logic, the UART (paced both ways), and what runs
// after a reset: the ROM serial loader (download mode) or the boot into the app.
//
//   EN low ──► held in reset ──EN high (+RC delay, sample IO0)──► IO0 low: download mode
//                                                               └► IO0 high: boot the app
import { autoResetCircuit } from '../common/esp/reset'
import { formatMac, type TwinChipDef } from '../common/esp/chips'
import { slipEncode, SlipDecoder } from '../common/esp/slip'
import { winbondJedecFor } from '../common/esp/flash-id'
import { FlashMemory } from './flash'
import { Loader } from './loader'
import { RegisterFile } from './registers'
import { PacedChannel } from './wire'
import { BridgeLine, wireBaud, type BridgeModel } from './bridge'
import { startBoot, type BootHandle, type ResetCause } from './boot/boot-runner'
import type { FirmwareOptions } from './firmware/firmware'

export const ROM_BAUD = 115200
/**
 * EN rises through an RC network (10 kΩ with the 1–10 µF capacitor dev boards carry); the
 * chip starts this long after release. Modelling choice: it starts in download mode if IO0
 * was low at any moment of that window. Over RFC 2217 DTR and RTS change one round trip
 * apart (pyserial polls for each SET-CONTROL answer every 50 ms), so esptool's classic reset
 * pulls IO0 low ~50 ms after EN is released; through a local bridge IO0 is low at release
 * and released again 50 ms later. Sampling one instant could not honour both.
 */
export const EN_RC_DELAY_MS = 100

export type BootMode = 'download' | 'app'
export type DeviceState = 'reset' | 'download' | 'app'

export interface DeviceOptions {
  chip: TwinChipDef
  flash: FlashMemory
  mac: Uint8Array
  wireTiming: boolean
  firmware: FirmwareOptions
  /** Called with every line the twin logs about itself (not the UART): for the CLI's stderr. */
  onNote?: (text: string) => void
  /** Fault injection on flash data the loader sends (corrupt-reads). */
  outgoingFlashData?: (data: Uint8Array) => Uint8Array
  /** The USB bridge in front of the UART (its fastest rate); none = any rate works. */
  bridge?: BridgeModel
  /** Seed of the bridge's garbling. */
  seed?: number
}

export class Device {
  readonly chip: TwinChipDef
  readonly flash: FlashMemory
  readonly mac: Uint8Array
  private baud = ROM_BAUD
  private wireTiming: boolean
  private stateValue: DeviceState = 'reset'
  private readonly registers: RegisterFile
  private readonly loader: Loader
  private readonly slip = new SlipDecoder({ betweenFrames: 'frame', maxFrame: 0x4000 + 0x200 })
  private readonly tx: PacedChannel
  private pendingReboot: NodeJS.Timeout | undefined
  private readonly rx: PacedChannel
  private sink: ((bytes: Uint8Array) => void) | undefined
  private lines = { dtr: false, rts: false }
  private enTimer: NodeJS.Timeout | undefined
  private io0LowWhileCharging = false
  private boot: BootHandle | undefined
  private bootCount = 0
  private readonly line: BridgeLine
  /** Frames received while the loader is busy computing (SPI_FLASH_MD5), handled in order after. */
  private frames: Uint8Array[] = []
  private busy: NodeJS.Timeout | undefined

  constructor(private readonly options: DeviceOptions) {
    this.chip = options.chip
    this.flash = options.flash
    this.mac = options.mac
    this.wireTiming = options.wireTiming
    this.registers = new RegisterFile(this.chip, this.mac, winbondJedecFor(this.flash.size), () => this.baud)
    this.line = new BridgeLine(options.bridge, options.seed ?? 1)
    const timing = () => ({ enabled: this.wireTiming, baud: wireBaud(options.bridge, this.baud) })
    this.tx = new PacedChannel((bytes) => this.sink?.(bytes), timing)
    this.rx = new PacedChannel((bytes) => this.handleInput(bytes), timing)
    this.loader = new Loader(this.chip, this.flash, this.registers, {
      send: (frame) => this.tx.send(this.line.pass(slipEncode(frame), this.baud), true),
      timed: () => this.wireTiming,
      changeBaud: (baud) => this.setBaudAfterQueued(baud),
      runUserCode: () => this.powerCycle('app', 'software'),
      ...(options.outgoingFlashData ? { outgoingFlashData: options.outgoingFlashData } : {}),
    })
  }

  get state(): DeviceState {
    return this.stateValue
  }

  get loaderMode(): 'rom' | 'stub' {
    return this.loader.mode
  }

  get currentBaud(): number {
    return this.baud
  }

  /** Where UART output goes (a transport), or nowhere. */
  attach(sink: ((bytes: Uint8Array) => void) | undefined): void {
    this.sink = sink
  }

  /** Bytes the host sent; they reach the chip at wire speed (through the bridge). */
  input(bytes: Uint8Array): void {
    this.rx.send(this.line.pass(bytes, this.baud))
  }

  /** The host's control lines (RFC 2217 SET-CONTROL), through the auto-reset circuit. */
  setLines(change: { dtr?: boolean; rts?: boolean }): void {
    const wasLow = autoResetCircuit(this.lines).enLow
    this.lines = { dtr: change.dtr ?? this.lines.dtr, rts: change.rts ?? this.lines.rts }
    const { enLow, io0Low } = autoResetCircuit(this.lines)
    if (enLow && !wasLow) this.holdInReset()
    else if (!enLow && wasLow) {
      // Released: the chip starts once EN has charged (see EN_RC_DELAY_MS).
      if (this.enTimer) clearTimeout(this.enTimer)
      this.io0LowWhileCharging = io0Low
      this.enTimer = setTimeout(() => {
        this.enTimer = undefined
        if (autoResetCircuit(this.lines).enLow) return
        this.start(this.io0LowWhileCharging || autoResetCircuit(this.lines).io0Low ? 'download' : 'app', 'power-on')
      }, EN_RC_DELAY_MS)
    } else if (this.enTimer && io0Low) this.io0LowWhileCharging = true
  }

  /** A reset with the given strapping (power-on, or a transport that has no control lines). */
  powerCycle(mode: BootMode, cause: ResetCause = 'power-on', options: { quietRom?: boolean } = {}): void {
    this.holdInReset()
    this.start(mode, cause, options.quietRom ?? false)
  }

  setWireTiming(enabled: boolean): void {
    this.wireTiming = enabled
  }

  /** Text onto the UART (boot log, firmware log). */
  print(text: string): void {
    this.tx.send(this.line.pass(new TextEncoder().encode(text), this.baud))
  }

  note(text: string): void {
    this.options.onNote?.(text)
  }

  async close(): Promise<void> {
    this.holdInReset()
    this.sink = undefined
    this.flash.close()
  }

  private holdInReset(): void {
    if (this.pendingReboot) clearTimeout(this.pendingReboot)
    this.pendingReboot = undefined
    if (this.enTimer) clearTimeout(this.enTimer)
    this.enTimer = undefined
    this.stateValue = 'reset'
    this.boot?.stop()
    this.boot = undefined
    this.tx.clear()
    this.rx.clear()
    this.slip.reset()
    this.frames = []
    if (this.busy) clearTimeout(this.busy)
    this.busy = undefined
    this.loader.resetToRom()
    this.baud = ROM_BAUD
  }

  private start(mode: BootMode, cause: ResetCause, quietRom = false): void {
    this.stateValue = mode
    this.bootCount++
    this.boot = startBoot({
      device: this,
      chip: this.chip,
      flash: this.flash,
      mode,
      cause,
      quietRom,
      bootCount: this.bootCount,
      firmware: this.options.firmware,
      mac: formatMac(this.mac),
      reboot: (nextCause) => this.rebootWhenSent(nextCause),
    })
  }

  /**
   * A restart from the chip itself (esp_restart, a panic, the bootloader) comes after what it
   * printed has left the UART, as the ROM waits for the TX FIFO: a panic's record is not lost.
   */
  private rebootWhenSent(cause: ResetCause): void {
    const wait = this.tx.idleInMs()
    if (wait === 0) return this.powerCycle('app', cause)
    const boot = this.boot
    if (this.pendingReboot) clearTimeout(this.pendingReboot)
    this.pendingReboot = setTimeout(() => {
      this.pendingReboot = undefined
      if (this.boot === boot) this.powerCycle('app', cause)
    }, wait)
  }

  private setBaudAfterQueued(baud: number): void {
    // The answer to CHANGE_BAUDRATE is already queued at the old rate; the new rate
    // applies to everything queued from now on.
    this.baud = baud
  }

  private handleInput(bytes: Uint8Array): void {
    if (this.stateValue !== 'download') return
    for (const event of this.slip.push(bytes)) {
      if (event.type === 'frame') this.frames.push(event.frame)
    }
    this.handleFrames()
  }

  /** One frame at a time; a command that takes the chip time (an MD5) holds the next ones back. */
  private handleFrames(): void {
    while (!this.busy && this.frames.length > 0) {
      const busyMs = this.loader.receive(this.frames.shift() as Uint8Array)
      if (busyMs > 0) {
        this.busy = setTimeout(() => {
          this.busy = undefined
          this.loader.finishBusy()
          this.handleFrames()
        }, busyMs)
      }
    }
  }
}
