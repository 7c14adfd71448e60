import { hex } from '../../common/hex'
import type { ProbeResult } from '../../main/flasher'
import type { Command } from '../command'
import { CONNECT_OPTIONS, connectOptionsFrom, runFlasherJob } from './flasher-job'

export const probeCommand: Command = {
  name: 'probe',
  summary: 'Identify the ESP32 on a port: chip, MAC, flash, security, and the firmware and configuration it holds.',
  usage: 'probe --port URL [--baud N] [--no-stub] [--no-reset] [--json]',
  help: `
Resets the chip into its bootloader, identifies it (chip, revision, features, crystal, MAC,
flash JEDEC id and size, security flags) and reads back the partition table, each app's
descriptor and the configuration in the nvs partition. Nothing is written.

  --port URL    /dev/ttyUSB0, COM3, socket://HOST:PORT or rfc2217://HOST:PORT
  --baud N      rate after the flasher stub starts (default 921600)
  --no-stub     talk to the ROM loader only: read-back 64 bytes per request (slower),
                checked by the ROM's MD5 like the stub's
  --no-reset    do not touch DTR/RTS; the chip must already be in download mode
  --json        one JSON object per event; the result last

Example: pairkit probe --port /dev/ttyUSB0`,
  options: CONNECT_OPTIONS,
  async run({ values, out, signal }) {
    const connect = connectOptionsFrom(values)
    const { state } = await runFlasherJob({ operation: 'probe', port: connect.port, options: connect }, out, signal)
    const result = (state.type === 'done' ? state.result : undefined) as ProbeResult
    out.result({ type: 'probe', ...result }, () => formatProbe(result))
    return 0
  },
}

function formatProbe(r: ProbeResult): string {
  const lines = [
    `Chip:      ${r.description ?? r.chip}`,
    `Features:  ${r.features.join(', ') || 'unknown'}`,
    r.crystalMHz ? `Crystal:   ${r.crystalMHz} MHz` : '',
    r.mac ? `MAC:       ${r.mac}` : '',
    r.flash ? `Flash:     ${r.flash.size ?? 'unknown size'} (JEDEC ${r.flash.jedecId}${r.flash.manufacturer ? `, ${r.flash.manufacturer}` : ''})` : '',
    r.security
      ? `Security:  secure boot ${r.security.secureBoot ? 'on' : 'off'}, flash encryption ${r.security.flashEncryption ? 'on' : 'off'}, secure download ${r.security.secureDownloadMode ? 'on' : 'off'}`
      : '',
  ]
  if (r.partitionTable) {
    lines.push('Partitions:')
    for (const p of r.partitionTable) lines.push(`  ${p.name.padEnd(16)} type ${p.type} subtype ${p.subtype} at ${hex(p.offset)} size ${hex(p.size)}`)
  }
  for (const app of r.apps ?? []) {
    const d = app.descriptor
    lines.push(`App in ${app.partition}: ${d ? `${d.projectName} ${d.version} (ESP-IDF ${d.idfVersion}, ${d.date} ${d.time})` : 'empty or not an ESP-IDF app'}`)
  }
  if (r.config !== undefined) lines.push(`Configuration: ${JSON.stringify(r.config)}`)
  for (const note of r.notes) lines.push(`note: ${note}`)
  return lines.filter(Boolean).join('\n')
}
