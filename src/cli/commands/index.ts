// Every CLI command, one file each; the order here is the order of `pairkit --help`.
import type { Command } from '../command'
import { bundleInspectCommand } from './bundle-inspect'
import { configPairCommand } from './config-pair'
import { configShowCommand } from './config-show'
import { partitionTableToBinCommand } from './partition-table-to-bin'
import { partitionTableToCsvCommand } from './partition-table-to-csv'
import { nvsDumpCommand } from './nvs-dump'
import { nvsGenerateCommand } from './nvs-generate'
import { peerCommand } from './peer'
import { portsCommand } from './ports'
import { twinCommand } from './twin'
import { webCommand } from './web'

export const COMMANDS: readonly Command[] = [
  portsCommand,
  webCommand,
  partitionTableToBinCommand,
  partitionTableToCsvCommand,
  nvsGenerateCommand,
  nvsDumpCommand,
  configPairCommand,
  configShowCommand,
  peerCommand,
  bundleInspectCommand,
  twinCommand,
]
