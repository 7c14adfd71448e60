// npm run bench:cli [-- RUNS] — not a test: how fast `pairkit` starts. Runs each command
// RUNS times (default 20) after one untimed run and prints the median and fastest wall time
// and, on Linux, the mean CPU time (user + system, from /proc: it does not depend on load).
// The last row runs the CLI from source through tsx, as bin/pairkit.js did before the CLI
// was built into out/cli.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const RUNS = Number(process.argv[2] ?? 20)
const BIN = path.join(ROOT, 'bin/pairkit.js')

const CASES: { label: string; args: string[] }[] = [
  { label: 'node -e 0 (the floor)', args: ['-e', '0'] },
  { label: 'pairkit --help', args: [BIN, '--help'] },
  { label: 'pairkit nvs dump basic.bin', args: [BIN, 'nvs', 'dump', path.join(ROOT, 'test/fixtures/nvs/basic.bin')] },
  { label: 'pairkit --help from source (tsx)', args: ['--import', 'tsx', path.join(ROOT, 'src/cli/index.ts'), '--help'] },
]

/** CPU seconds used by this process's waited-for children (Linux), or undefined. */
function childrenCpuSeconds(): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')
  // cutime and cstime are fields 16 and 17 of stat(5), in clock ticks (100 per second on Linux).
  return (Number(fields[13]) + Number(fields[14])) / 100
}

function run(args: string[]): number {
  const started = performance.now()
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  return performance.now() - started
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

console.log(`${RUNS} runs each, after one untimed run (which also builds out/cli when it is stale)`)
for (const { label, args } of CASES) {
  run(args)
  const cpuBefore = childrenCpuSeconds()
  const times = Array.from({ length: RUNS }, () => run(args))
  const cpuAfter = childrenCpuSeconds()
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? '' : `  CPU ${(((cpuAfter - cpuBefore) / RUNS) * 1000).toFixed(0).padStart(5)} ms`
  console.log(`${label.padEnd(34)} median ${median(times).toFixed(0).padStart(5)} ms  fastest ${Math.min(...times).toFixed(0).padStart(5)} ms${cpu}`)
}
