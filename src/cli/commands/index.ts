// Every CLI command, one file each; the order here is the order of `pairkit --help`.
import type { Command } from '../command'
import { bridgeTestCommand } from './bridge-test'
import { bundleInspectCommand } from './bundle-inspect'
import { commissionCommand } from './commission'
import { configPairCommand } from './config-pair'
import { configShowCommand } from './config-show'
import { eraseCommand } from './erase'
import { flashCommand } from './flash'
import { labCommand } from './lab'
import { logsParseCommand } from './logs-parse'
import { monitorCommand } from './monitor'
import { partitionTableToBinCommand } from './partition-table-to-bin'
import { partitionTableToCsvCommand } from './partition-table-to-csv'
import { nvsDumpCommand } from './nvs-dump'
import { nvsGenerateCommand } from './nvs-generate'
import { peerCommand } from './peer'
import { portsCommand } from './ports'
import { probeCommand } from './probe'
import { provisionCommand } from './provision'
import { readFlashCommand } from './read-flash'
import { twinCommand } from './twin'
import { webCommand } from './web'

export const COMMANDS: readonly Command[] = [
  // Find and identify devices.
  portsCommand,
  probeCommand,
  // Firmware: check it, write it, erase and read flash.
  bundleInspectCommand,
  flashCommand,
  eraseCommand,
  readFlashCommand,
  // Configure a pair.
  configPairCommand,
  configShowCommand,
  provisionCommand,
  // Formats, byte for byte as Espressif's tools write them.
  nvsGenerateCommand,
  nvsDumpCommand,
  partitionTableToBinCommand,
  partitionTableToCsvCommand,
  // Read what devices print.
  monitorCommand,
  logsParseCommand,
  // Run the bridge, test it, run a virtual device or a virtual lab, or the UI.
  peerCommand,
  bridgeTestCommand,
  commissionCommand,
  twinCommand,
  labCommand,
  webCommand,
]
