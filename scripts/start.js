// `npm start`: build if needed, then launch the Electron app. Where the Electron runtime
// is missing (it is downloaded on first use and this machine may be offline) or there is
// no display, say so in one line and serve the same UI to a browser instead.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { buildIfNeeded, ROOT } from './build-if-needed.js'

function electronBinary() {
  const dir = path.join(ROOT, 'node_modules/electron')
  const pathFile = path.join(dir, 'path.txt')
  if (!existsSync(pathFile)) return undefined
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : undefined
}

function hasDisplay() {
  if (process.platform !== 'linux') return true
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
}

buildIfNeeded()
const binary = electronBinary()
let child
if (binary && hasDisplay()) {
  child = spawn(binary, [ROOT, ...process.argv.slice(2)], { stdio: 'inherit' })
} else {
  const why = binary ? 'there is no display' : 'the Electron runtime is not installed (run `npx install-electron` where the network allows)'
  console.log(`PairKit: ${why}; serving the UI to your browser instead.`)
  child = spawn(process.execPath, [path.join(ROOT, 'bin/pairkit.js'), 'web', ...process.argv.slice(2)], { stdio: 'inherit' })
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 1))
