// The virtual lab's twins, in this process: an rfc2217:// link on a free loopback port, the
// flash file the lab names, in download mode until the lab flashes and resets it, paced at
// the baud rate like a board on a USB bridge.
import type { LabTwinSpec, StartLabTwin } from '../main/lab/lab-twin-host'
import { parseFaults } from './faults'
import { startTwin } from '.'

export function labTwinStarter(options: { onNote?: (text: string) => void } = {}): StartLabTwin {
  return async (spec: LabTwinSpec) =>
    startTwin({
      chip: spec.chip,
      flashPath: spec.flashPath,
      listen: 'rfc2217://127.0.0.1:0',
      boot: 'download',
      brokerPort: spec.brokerPort,
      ...(spec.faults ? { faults: parseFaults(spec.faults) } : {}),
      ...(spec.quirks ? { quirks: spec.quirks } : {}),
      ...(options.onNote ? { onNote: options.onNote } : {}),
    })
}
