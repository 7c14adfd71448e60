// A connected bootloader session on one port: reset + sync, chip identification, the
// flasher stub, the baud-rate switch (with fallback), and the SPI flash attach. The flash
// operations themselves are in flash-ops.ts; the job logic (plans, events) in jobs.
import { setTimeout as sleep } from 'node:timers/promises'
import { PairKitError } from '../../common/errors'
import { CHIP_DETECT_MAGIC_REG_ADDR, chipBySecurityId, detectByMagic, ESP32S2, formatMac, type ChipDef } from '../../common/esp/chips'
import { decodeFlashId, spiParams, type FlashId } from '../../common/esp/flash-id'
import { OPCODES } from '../../common/esp/opcodes'
import { packWords } from '../../common/esp/packet'
import { parseSecurityInfo, type SecurityInfo } from '../../common/esp/security-info'
import { DEFAULT_FLASH_BAUD, nextLowerBaud, ROM_BAUD } from '../../common/flasher/baud-plan'
import { hex } from '../../common/hex'
import { openLink, wireTimeMs, type SerialLink } from '../serial/link'
import { loadStub } from './flasher-stubs'
import { Loader, OHAI, SYNC_TIMEOUT_MS } from './loader'
import { CommandFailedError, noAnswerError } from './loader-errors'
import { chooseReset, resetToBootloader, type ResetKind } from './reset'

export { DEFAULT_FLASH_BAUD, ROM_BAUD }
/** How long the chip and the bridge get to settle at a new rate before the first command. */
const BAUD_SETTLE_MS = 10
/** Each of the three register reads that confirm a new rate (a round trip is a few ms, USB latency included). */
const BAUD_PROBE_TIMEOUT_MS = 150
const ROM_FLASH_WRITE_SIZE = 0x400
const STUB_FLASH_WRITE_SIZE = 0x4000
const RAM_BLOCK = 0x1800

export interface SessionOptions {
  /** Rate after the stub runs (default 921600); 115200 skips the switch. */
  baud?: number
  /** Upload the flasher stub (default true). */
  stub?: boolean
  /** Reset into the bootloader with DTR/RTS before syncing (default true). */
  reset?: boolean
  connectAttempts?: number
  signal?: AbortSignal
  onWarning?: (message: string) => void
  onStage?: (stage: string) => void
  trace?: (direction: 'out' | 'in', frame: Uint8Array) => void
}

/** What the chip's eFuses say about it; a value that could not be read is left out. */
export interface ChipDescription {
  description?: string
  features: string[]
  crystalMHz?: number
  mac?: string
  revision?: number
  /** Oddities worth telling the technician (an unusual crystal). */
  notes: string[]
}

/** Runs one read; a failure becomes a note and undefined, except cancel and link loss. */
export type SafeRead = <T>(what: () => Promise<T>) => Promise<T | undefined>

const UNSUPPORTED_HINT = 'PairKit flashes the ESP32 family only; check that this is the board you meant.'

export class Session {
  /** Known once identify() has run (Session.open runs it). */
  chip!: ChipDef
  securityInfo: SecurityInfo | undefined
  flashId: FlashId | undefined
  /** Flash size in bytes, once attached (from the JEDEC id; 4 MB if unknown). */
  flashSize = 0
  baud = ROM_BAUD
  resetKind: ResetKind = 'none'
  /** The stub is uploaded by ensureStub(), before the first write (connect found it not needed yet). */
  stubWhenWriting = false
  /** Seconds spent uploading and starting the stub (and attaching the flash again for it). */
  stubSeconds = 0
  private attached = false

  private constructor(
    readonly link: SerialLink,
    readonly loader: Loader,
    readonly options: SessionOptions,
  ) {}

  static async open(url: string, options: SessionOptions = {}): Promise<Session> {
    const link = await openLink(url, { baudRate: ROM_BAUD, ...(options.onWarning ? { onWarning: options.onWarning } : {}), ...(options.signal ? { signal: options.signal } : {}) })
    const session = new Session(link, new Loader(link, { ...(options.signal ? { signal: options.signal } : {}), ...(options.trace ? { trace: options.trace } : {}) }), options)
    try {
      await session.connect()
      await session.identify()
    } catch (error) {
      await session.close()
      throw error
    }
    return session
  }

  get chipName(): string {
    return this.chip.name
  }
  get isStub(): boolean {
    return this.loader.isStub
  }
  get flashWriteSize(): number {
    return this.isStub ? STUB_FLASH_WRITE_SIZE : ROM_FLASH_WRITE_SIZE
  }
  get secureDownloadMode(): boolean {
    return this.securityInfo?.secureDownloadMode ?? false
  }

  private stage(text: string): void {
    this.options.onStage?.(text)
  }

  /** Reset (when lines exist) and SYNC: up to N attempts of 5 tries, as esptool does. */
  async connect(): Promise<void> {
    this.stage('connecting')
    this.resetKind = this.options.reset === false ? 'none' : chooseReset(this.link)
    const attempts = this.options.connectAttempts ?? (this.resetKind === 'none' ? 4 : 7)
    for (let attempt = 0; attempt < attempts; attempt++) {
      this.loader.clearBootLog()
      if (this.resetKind !== 'none') {
        await resetToBootloader(this.link, this.resetKind, attempt)
        if (!this.link.info.controlLines) this.resetKind = 'none'
      }
      for (let tryNo = 0; tryNo < 5; tryNo++) {
        const answer = await this.loader.sync(SYNC_TIMEOUT_MS)
        if (answer.ok) {
          // The ROM answers SYNC 8 times; let the rest arrive, then drop them.
          await sleep(20 + wireTimeMs(8 * 14, this.link.baudRate))
          this.loader.flushInput()
          // A stub answers SYNC with value 0 (esptool's "stub already running" check).
          this.loader.isStub = answer.value === 0
          return
        }
      }
    }
    throw this.explainNoSync()
  }

  private explainNoSync(): PairKitError {
    const log = this.loader.bootLog
    const boot = /boot:(0x[0-9a-fA-F]+)([\s\S]*waiting for download)?/.exec(log)
    if (boot && !boot[2]) {
      return noAnswerError(`it booted normally (boot mode ${boot[1]}) instead of into download mode`, log.slice(-400))
    }
    if (boot && boot[2]) {
      return new PairKitError('NO_ANSWER', 'the chip is in download mode but does not answer: its receive line (TX of the adapter) seems down; check the wiring', { detail: log.slice(-400) })
    }
    return noAnswerError(this.link.info.controlLines ? '' : `${this.link.info.url} cannot reset it`)
  }

  /** GET_SECURITY_INFO first, the magic register as fallback (esptool ≥ 5 order). */
  async identify(): Promise<void> {
    this.stage('identifying')
    let chip: ChipDef | undefined
    try {
      const { data } = await this.loader.checkCommand(OPCODES.GET_SECURITY_INFO)
      this.securityInfo = parseSecurityInfo(data)
      if (this.securityInfo?.chipId !== undefined) {
        chip = chipBySecurityId(this.securityInfo.chipId)
        if (!chip) throw new PairKitError('UNAVAILABLE', `unknown or unsupported chip (chip id ${this.securityInfo.chipId})`, { hint: UNSUPPORTED_HINT })
      }
    } catch (error) {
      if (!(error instanceof CommandFailedError)) throw error
    }
    // Secure Download Mode refuses READ_REG; a chip reporting it without a chip id is an
    // ESP32-S2 (the ESP32 has no GET_SECURITY_INFO at all).
    if (!chip && this.secureDownloadMode) chip = ESP32S2
    if (!chip) {
      const magic = await this.loader.readReg(CHIP_DETECT_MAGIC_REG_ADDR)
      const found = detectByMagic(magic)
      if (found.kind === 'unsupported') throw new PairKitError('UNAVAILABLE', `this is an ${found.displayName}, which PairKit does not flash`, { hint: 'Only ESP32-family chips can run the bridge firmware.' })
      if (found.kind === 'unknown') throw new PairKitError('UNAVAILABLE', `unknown chip (magic word ${hex(magic)})`, { hint: UNSUPPORTED_HINT })
      chip = found.chip
    }
    this.chip = chip
  }

  /** Description, features, crystal, MAC and revision from the chip definition's decoders. */
  async describeChip(safe: SafeRead): Promise<ChipDescription> {
    const identity = this.chip.identity
    const read = (address: number) => this.loader.readReg(address)
    // The crystal estimate multiplies the UART divider by the baud the chip runs at now
    // (the stub may have switched it), not the ROM's start rate.
    const baud = this.link.baudRate
    const description = await safe(() => identity.description(read))
    const features = (await safe(() => identity.features(read))) ?? []
    const crystal = await safe(() => identity.crystal(read, baud))
    const mac = this.secureDownloadMode ? undefined : await safe(async () => formatMac(await identity.mac(read)))
    const revision = await safe(() => identity.revision(read))
    return {
      features,
      notes: crystal?.warning ? [crystal.warning] : [],
      ...(description !== undefined ? { description } : {}),
      ...(crystal !== undefined ? { crystalMHz: crystal.mhz } : {}),
      ...(mac !== undefined ? { mac } : {}),
      ...(revision !== undefined ? { revision } : {}),
    }
  }

  /** Uploads and starts the flasher stub (MEM_BEGIN/DATA/END, then the "OHAI" greeting). */
  async runStub(): Promise<boolean> {
    if (this.isStub) return true
    const began = performance.now()
    try {
      return await this.uploadStub()
    } finally {
      this.stubSeconds += (performance.now() - began) / 1000
    }
  }

  private async uploadStub(): Promise<boolean> {
    if (this.secureDownloadMode) {
      this.options.onWarning?.('the chip is in Secure Download Mode: continuing with the ROM loader (slower, no read-back)')
      return false
    }
    const stub = await loadStub(this.chip, () => this.chip.identity.revision((address) => this.loader.readReg(address)))
    if (!stub) {
      this.options.onWarning?.(`no flasher stub for ${this.chipName}: continuing with the ROM loader`)
      return false
    }
    this.stage('starting the flasher stub')
    for (const [start, bytes] of [
      [stub.textStart, stub.text],
      [stub.dataStart, stub.data],
    ] as const) {
      const blocks = Math.ceil(bytes.length / RAM_BLOCK)
      await this.loader.checkCommand(OPCODES.MEM_BEGIN, packWords(bytes.length, blocks, RAM_BLOCK, start))
      for (let seq = 0; seq < blocks; seq++) {
        const block = bytes.subarray(seq * RAM_BLOCK, (seq + 1) * RAM_BLOCK)
        await this.loader.dataCommand(OPCODES.MEM_DATA, seq, block, 3000 + wireTimeMs(block.length, this.link.baudRate))
      }
    }
    await this.loader.checkCommand(OPCODES.MEM_END, packWords(0, stub.entry))
    const hello = await this.loader.nextFrame(3000)
    if (!hello || hello.length !== OHAI.length || !hello.every((byte, i) => byte === OHAI[i])) {
      throw new PairKitError('NO_ANSWER', 'the flasher stub did not start on the chip', { hint: 'Retry; if it repeats, flash without the flasher stub.' })
    }
    this.loader.isStub = true
    return true
  }

  /** Uploads the stub now if it was put off until something is written, and attaches the flash again for it. */
  async ensureStub(): Promise<void> {
    if (!this.stubWhenWriting) return
    this.stubWhenWriting = false
    const wasAttached = this.attached
    if (!(await this.runStub())) return
    this.attached = false
    const began = performance.now()
    if (wasAttached) await this.attachFlash()
    this.stubSeconds += (performance.now() - began) / 1000
  }

  /**
   * Moves the link to `target` baud, stepping down one rung at a time (BAUD_STEPS) while a rate
   * does not work, and says so in a warning. Returns the rate the link runs at.
   */
  async switchBaud(target: number): Promise<number> {
    const wasAttached = this.attached
    let baud = target
    for (;;) {
      if (baud === this.link.baudRate) break
      const outcome = await this.tryBaud(baud)
      if (outcome === 'ok') break
      const lower = nextLowerBaud(baud)
      const below = lower !== undefined && lower !== this.link.baudRate ? lower : undefined
      const why = outcome === 'refused' ? `the chip refused ${baud} baud` : `no answer at ${baud} baud`
      this.options.onWarning?.(below ? `${why}; trying ${below}` : `${why}; staying at ${this.link.baudRate}`)
      if (!below) break
      baud = below
    }
    // A reset on the way (a rate the chip could not be reached at) detached the flash.
    if (wasAttached && !this.attached) await this.attachFlash()
    return this.link.baudRate
  }

  /**
   * One step down after errors at the current rate (e.g. blocks failing at 3 Mbaud). Returns the
   * new rate, or undefined when the link is already at the ROM's rate.
   */
  async stepDownBaud(reason: string): Promise<number | undefined> {
    const current = this.link.baudRate
    const lower = nextLowerBaud(current)
    if (lower === undefined || current <= ROM_BAUD) return undefined
    this.options.onWarning?.(`${reason} at ${current} baud; continuing at ${lower}`)
    return this.switchBaud(lower)
  }

  /**
   * CHANGE_BAUDRATE, then one register read at the new rate. When the chip goes silent, the link
   * goes back to where it worked: the old rate if the chip is still there, otherwise a reset and
   * a new sync at the ROM's rate (with the stub uploaded again if it was running).
   */
  private async tryBaud(baud: number): Promise<'ok' | 'refused' | 'silent'> {
    this.stage(`switching to ${baud} baud`)
    const old = this.link.baudRate
    try {
      await this.loader.checkCommand(OPCODES.CHANGE_BAUDRATE, packWords(baud, this.isStub ? old : 0))
    } catch (error) {
      if (!(error instanceof PairKitError) || error.code === 'CANCELLED' || error.code === 'PORT_DISCONNECTED') throw error
      await this.confirmOrRecover(old)
      return 'refused'
    }
    await this.link.setBaudRate(baud)
    // The stub switches once its answer has left; a few ms cover the chip and the bridge.
    await sleep(BAUD_SETTLE_MS)
    this.loader.flushInput()
    if (await this.answers()) {
      this.baud = baud
      return 'ok'
    }
    await this.link.setBaudRate(old)
    await this.confirmOrRecover(old)
    return 'silent'
  }

  private async answers(): Promise<boolean> {
    for (let i = 0; i < 3; i++) {
      try {
        await this.loader.readReg(CHIP_DETECT_MAGIC_REG_ADDR, BAUD_PROBE_TIMEOUT_MS)
        return true
      } catch (error) {
        if (error instanceof CommandFailedError) return true
        if (error instanceof PairKitError && (error.code === 'CANCELLED' || error.code === 'PORT_DISCONNECTED')) throw error
      }
    }
    return false
  }

  /** The chip should still be at `baud`; if it is not, reset and start over at the ROM's rate. */
  private async confirmOrRecover(baud: number): Promise<number> {
    this.loader.flushInput()
    if (await this.answers()) {
      this.baud = baud
      return baud
    }
    if (!this.link.info.controlLines || this.options.reset === false) {
      throw new PairKitError('NO_ANSWER', 'the chip stopped answering after a baud-rate change and cannot be reset over this port', { hint: 'Tap EN with BOOT held, and retry at 115200 baud.' })
    }
    await this.link.setBaudRate(ROM_BAUD)
    const wasStub = this.isStub
    this.loader.isStub = false
    this.attached = false
    await this.connect()
    if (wasStub && !this.isStub) await this.runStub()
    this.baud = ROM_BAUD
    return ROM_BAUD
  }

  /** SPI_ATTACH, the JEDEC id, and SPI_SET_PARAMS with the detected size. */
  async attachFlash(): Promise<FlashId | undefined> {
    if (this.attached) return this.flashId
    this.stage('attaching the flash')
    // The ROM takes a second word (legacy flag); the stub only the pin configuration.
    await this.loader.checkCommand(OPCODES.SPI_ATTACH, this.isStub ? packWords(0) : packWords(0, 0))
    this.attached = true
    if (!this.secureDownloadMode) {
      this.flashId = decodeFlashId(await this.runSpiFlashRdid())
      if (!this.flashId.responding) this.options.onWarning?.('the flash chip does not answer its id request (0x000000/0xFFFFFF): check the module')
    }
    this.flashSize = this.flashId?.sizeBytes ?? 4 << 20
    await this.loader.checkCommand(OPCODES.SPI_SET_PARAMS, packWords(...spiParams(this.flashSize)))
    return this.flashId
  }

  /** RDID (0x9F) through the SPI controller registers (esptool run_spiflash_command). */
  private async runSpiFlashRdid(): Promise<number> {
    const spi = this.chip.spi
    const usr = spi.base + spi.usr
    const usr2 = spi.base + spi.usr2
    const oldUsr = await this.loader.readReg(usr)
    const oldUsr2 = await this.loader.readReg(usr2)
    await this.loader.writeReg(spi.base + spi.misoDlen, 24 - 1)
    const SPI_USR_COMMAND = 1 << 31
    const SPI_USR_MISO = 1 << 28
    await this.loader.writeReg(usr, (SPI_USR_COMMAND | SPI_USR_MISO) >>> 0)
    await this.loader.writeReg(usr2, ((7 << 28) | 0x9f) >>> 0)
    const SPI_CMD_USR = 1 << 18
    await this.loader.writeReg(spi.base, SPI_CMD_USR)
    for (let i = 0; i < 10; i++) if (((await this.loader.readReg(spi.base)) & SPI_CMD_USR) === 0) break
    const value = await this.loader.readReg(spi.base + spi.w0)
    await this.loader.writeReg(usr, oldUsr)
    await this.loader.writeReg(usr2, oldUsr2)
    return value & 0xffffff
  }

  async close(): Promise<void> {
    this.loader.dispose()
    if (!this.link.closed) await this.link.close().catch(() => {})
  }
}
