// The folder where PairKit keeps its records (pairs, devices, history, the current bundle,
// the views' inputs, and on the desktop the encrypted passwords). Both hosts use the same
// one, the folder Electron names userData for an app called PairKit:
//
//   Linux    $XDG_CONFIG_HOME/PairKit, else ~/.config/PairKit
//   macOS    ~/Library/Application Support/PairKit
//   Windows  %APPDATA%\PairKit
//
// PAIRKIT_DATA_DIR, or --data-dir where a command takes it, chooses another.
import os from 'node:os'
import path from 'node:path'

export const APP_FOLDER_NAME = 'PairKit'

export interface DataDirEnvironment {
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  home: string
}

const here = (): DataDirEnvironment => ({ env: process.env, platform: process.platform, home: os.homedir() })

/** The folder for this run: the given one, else PAIRKIT_DATA_DIR, else the user's application data folder. */
export function resolveDataDir(given?: string, environment: DataDirEnvironment = here()): string {
  const chosen = given ?? environment.env.PAIRKIT_DATA_DIR
  if (chosen !== undefined && chosen !== '') return path.resolve(chosen)
  return defaultDataDir(environment)
}

export function defaultDataDir({ env, platform, home }: DataDirEnvironment = here()): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME)
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_FOLDER_NAME)
  const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config')
  return path.join(config, APP_FOLDER_NAME)
}
