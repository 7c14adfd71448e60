// How the lab gets its virtual devices. src/main may not import the twin (src/twin builds on
// src/main), so whoever creates the LabService hands it a way to start one: the CLI starts
// twins in its own process; another host may run `pairkit twin` processes.
import type { ChipName } from '../../common/esp/chips'

export interface LabTwinSpec {
  role: 1 | 2
  chip: ChipName
  /** The twin's flash file (kept between runs, like a board's flash). */
  flashPath: string
  /** The port its firmware's broker (the site's IoT network) listens on, at every boot. */
  brokerPort: number
  /** The twin's fault injection (`pairkit twin --faults`), for the lab's fault scenarios. */
  faults?: string
  /** The stock firmware's receive bug. */
  quirks?: 'stock'
}

export interface LabTwin {
  /** rfc2217://127.0.0.1:PORT: the twin's serial link, with DTR/RTS wired to EN and IO0. */
  readonly url: string
  /** Ends the twin: its serial server, its firmware and its broker. */
  close(): Promise<void>
}

export type StartLabTwin = (spec: LabTwinSpec) => Promise<LabTwin>
