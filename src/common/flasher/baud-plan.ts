// Which baud rate a flash job asks for, and where it falls back to when a rate does not work.
//
// A local port's USB ids name its bridge (usb-bridges.ts), so the job starts at the fastest
// step that bridge is specified for; the chip's own USB ignores the rate, so nothing is
// switched. A remote link (rfc2217://, socket://) hides its bridge: the job stays at 921600,
// which every bridge ESP32 boards use can do (the slowest, CP2101/CP2102, tops out there), unless
// the technician asks for a rate. A rate that does not work steps down one rung at a time.
import { identifyBridge } from '../usb-bridges'

export const ROM_BAUD = 115200
export const DEFAULT_FLASH_BAUD = 921600
/** The rungs PairKit tries, fastest first. */
export const BAUD_STEPS: readonly number[] = Object.freeze([3_000_000, 2_000_000, 1_500_000, 921_600, 460_800, 230_400, ROM_BAUD])

export interface LinkFacts {
  kind: 'local' | 'socket' | 'rfc2217'
  vendorId?: number
  productId?: number
}

export interface BaudPlan {
  /** The rate to switch to after connecting (ROM_BAUD: no switch). */
  baud: number
  /** The chip's own USB: the rate is ignored, nothing is switched. */
  native: boolean
  /** Why this rate, for the job's log. */
  reason: string
}

/** The rate to start at: `forced` when given, else the fastest the link's bridge is known to take. */
export function planBaud(link: LinkFacts, forced?: number): BaudPlan {
  const bridge = link.kind === 'local' ? identifyBridge(link.vendorId, link.productId) : undefined
  if (bridge?.native) return { baud: ROM_BAUD, native: true, reason: `${bridge.name} runs at USB speed whatever the baud rate` }
  if (forced !== undefined) return { baud: forced, native: false, reason: `${forced} baud as asked` }
  if (bridge) {
    const baud = BAUD_STEPS.find((step) => step <= bridge.maxBaud) ?? DEFAULT_FLASH_BAUD
    return { baud, native: false, reason: `${bridge.name} takes up to ${bridge.maxBaud} baud` }
  }
  const where = link.kind === 'local' ? 'the port\'s USB bridge is not known' : 'a remote link does not say which USB bridge it has'
  return { baud: DEFAULT_FLASH_BAUD, native: false, reason: `${where}: ${DEFAULT_FLASH_BAUD} baud, which every common bridge takes` }
}

/** The next rung below `baud`, or undefined at the ROM's rate. */
export function nextLowerBaud(baud: number): number | undefined {
  return BAUD_STEPS.find((step) => step < baud)
}
