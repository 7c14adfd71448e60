import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
/** The version in package.json, found from the source tree or the built app. */
export const PAIRKIT_VERSION: string = readVersion()

function readVersion(): string {
  for (const candidate of ['../../package.json', '../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string }
      if (pkg.name === 'pairkit' && pkg.version) return pkg.version
    } catch {
      // try the next layout
    }
  }
  return '0.0.0'
}
