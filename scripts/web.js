// `npm run web`: build if needed, then serve the UI and backend to a browser on 127.0.0.1.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { buildIfNeeded, ROOT } from './build-if-needed.js'

buildIfNeeded()
const child = spawn(process.execPath, [path.join(ROOT, 'bin/pairkit.js'), 'web', ...process.argv.slice(2)], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 1))
