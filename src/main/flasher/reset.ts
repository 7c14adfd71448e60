// Runs the reset sequences of common/esp/reset over a link's DTR/RTS (protocol reference
// §11), and picks the one that suits the port.
import { setTimeout as sleep } from 'node:timers/promises'
import { classicReset, hardReset as hardResetSequence, USB_JTAG_SERIAL_RESET, type ResetSequence } from '../../common/esp/reset'
import type { SerialLink } from '../serial/link'

export const ESPRESSIF_VID = 0x303a
export const USB_JTAG_SERIAL_PID = 0x1001

export type ResetKind = 'classic' | 'usb-jtag' | 'none'

/** USB-Serial/JTAG (by VID/PID) decodes DTR/RTS itself; everything else gets the classic pair. */
export function chooseReset(link: SerialLink): ResetKind {
  if (!link.info.controlLines) return 'none'
  if (link.info.vendorId === ESPRESSIF_VID && link.info.productId === USB_JTAG_SERIAL_PID) return 'usb-jtag'
  return 'classic'
}

export async function runResetSequence(link: SerialLink, sequence: ResetSequence): Promise<void> {
  for (const step of sequence.steps) {
    if ('waitMs' in step) await sleep(step.waitMs)
    else await link.setSignals(step)
  }
}

/** Into the bootloader; `attempt` alternates esptool's 50 ms / 550 ms IO0 hold. */
export async function resetToBootloader(link: SerialLink, kind: ResetKind, attempt: number): Promise<void> {
  if (kind === 'usb-jtag') await runResetSequence(link, USB_JTAG_SERIAL_RESET)
  else if (kind === 'classic') await runResetSequence(link, classicReset(attempt % 2 === 0 ? 50 : 550))
}

/** Into the app: pulse EN with IO0 released (esptool HardReset, which does assert RTS). */
export async function hardReset(link: SerialLink, usb: boolean): Promise<void> {
  await runResetSequence(link, hardResetSequence(usb))
}
