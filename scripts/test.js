// `npm test`: every check, in order — system packages the tests need, type checks, lint,
// build, then the unit, integration and end-to-end suites. Ends with one summary line.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(ROOT)

// Debian packages the tests use, each with the shell check that shows it is there.
const SYSTEM_PACKAGES = [
  { check: 'command -v socat', pkg: 'socat', why: 'pseudo-terminal serial ports' },
  { check: 'command -v chromium', pkg: 'chromium', why: 'end-to-end UI tests' },
  { check: 'python3 -c "import serial.rfc2217"', pkg: 'python3-serial', why: "pyserial's RFC 2217 client against the virtual ESP32" },
  { check: 'PATH="$PATH:/usr/sbin" command -v mosquitto', pkg: 'mosquitto', why: 'an external MQTT broker for the peer' },
  { check: 'PATH="$PATH:/usr/sbin" command -v turnserver', pkg: 'coturn', why: 'a TURN relay for the peer' },
  { check: 'PATH="$PATH:/usr/sbin:/sbin" command -v ip', pkg: 'iproute2', why: 'network namespaces for the NAT test' },
  { check: 'PATH="$PATH:/usr/sbin:/sbin" command -v iptables', pkg: 'iptables', why: 'the NAT in the namespace test' },
]

function has(check) {
  return spawnSync('sh', ['-c', check], { stdio: 'ignore' }).status === 0
}

function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter((entry) => !has(entry.check))
  if (missing.length === 0) return
  const names = [...new Set(missing.map((entry) => entry.pkg))].join(' ')
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (!isRoot || !has('command -v apt-get')) {
    console.error(`The tests need: ${missing.map((entry) => `${entry.pkg} (${entry.why})`).join(', ')}.`)
    console.error(`Install them with: sudo apt-get update && sudo apt-get install -y ${names}`)
    process.exit(1)
  }
  console.log(`Installing system packages the tests need: ${names}`)
  run('apt-get update', 'apt-get', ['update', '-q'])
  run(`apt-get install ${names}`, 'apt-get', ['install', '-y', '-q', ...names.split(' ')], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
}

function run(label, command, args, options = {}) {
  console.log(`\n▶ ${label}`)
  const result = spawnSync(command, args, { stdio: 'inherit', ...options })
  if (result.status !== 0) {
    console.error(`✖ ${label} failed (exit ${result.status ?? result.signal})`)
    return false
  }
  return true
}

const bin = (name) => path.join(ROOT, 'node_modules/.bin', name)

// A test run must not change tracked files (screenshots go to the ignored test-results/; the
// README's pictures change only with `npm run screenshots`). Outside a git checkout this is skipped.
function trackedChanges() {
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' })
  const diff = spawnSync('git', ['diff', 'HEAD', '--binary'], { encoding: 'utf8', maxBuffer: 1 << 30 })
  if (status.status !== 0 || diff.status !== 0) return undefined
  // The diff's digest catches a file that was already modified and changed again.
  return `${status.stdout}diff ${createHash('sha256').update(diff.stdout).digest('hex')}\n`
}
const changesBefore = trackedChanges()
const totals = { passed: 0, failed: 0 }
let ok = true

ensureSystemPackages()
ok = run('type check (tsc, vue-tsc)', 'npm', ['run', '-s', 'typecheck']) && ok
ok = run('lint (eslint)', bin('eslint'), ['.']) && ok
ok = run('build (electron-vite: app; vite: CLI)', 'npm', ['run', '-s', 'build']) && ok

const reports = path.join(ROOT, '.tmp/test-reports')
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })
for (const project of ['unit', 'integration', 'e2e']) {
  const report = path.join(reports, `${project}.json`)
  const passed = run(`${project} tests (vitest)`, bin('vitest'), [
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ])
  ok = passed && ok
  if (existsSync(report)) {
    const result = JSON.parse(readFileSync(report, 'utf8'))
    totals.passed += result.numPassedTests
    totals.failed += result.numFailedTests + (result.numTotalTests === 0 ? 1 : 0)
    if (result.numTotalTests === 0) console.error(`✖ the ${project} suite ran no test`)
  } else {
    totals.failed += 1
  }
}

const changesAfter = trackedChanges()
if (changesBefore !== undefined && changesAfter !== undefined && changesAfter !== changesBefore) {
  const before = new Set(changesBefore.split('\n'))
  const added = changesAfter.split('\n').filter((line) => line && !before.has(line))
  console.error(`✖ the test run changed files in the checkout (tests must write only to ignored folders):\n${added.join('\n')}`)
  ok = false
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed`)
process.exit(ok && totals.failed === 0 ? 0 : 1)
