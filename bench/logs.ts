// npm run bench:logs [-- LINES_PER_RUN] [--parser | --ui] — not a test. First the log parser's
// throughput on one core (one Node thread), then (bench/logs-ui.ts) the Monitor view in Chromium
// with two twins printing 200 KB/s each for 60 s (PAIRKIT_BENCH_SECONDS=N for N s); --parser or
// --ui runs one half only.
//
// The parser half: A realistic console (bench/logs-corpus.ts, about 100 000 lines) is cut once
// into chunks of 64–4096 bytes, as a serial port delivers them, and pushed through one LogParser
// per run until LINES_PER_RUN lines (default 1 000 000) went through; 5 runs, 5 M lines in all.
// Prints lines/s and MB/s per run and their median, and checks every run's event counts against
// what the corpus says it must give (exit 1 when they differ). Target: 500 000 lines/s.
import { LogParser } from '../src/common/logs'
import { seededRandom } from '../src/common/seeded-random'
import { buildLogCorpus } from './logs-corpus'
import { runLogsUiBench } from './logs-ui'

const only = { parser: process.argv.includes('--parser'), ui: process.argv.includes('--ui') }
const halves = { parser: only.parser || !only.ui, ui: only.ui || !only.parser }

const TARGET_LINES_PER_SECOND = 500_000
const RUNS = 5
const LINES_PER_RUN = Number(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 1_000_000)
const CORPUS_LINES = 100_000

const corpus = buildLogCorpus(CORPUS_LINES)
const bytes = new TextEncoder().encode(corpus.text)
const chunks: Uint8Array[] = []
const random = seededRandom(4711)
for (let offset = 0; offset < bytes.length; ) {
  const size = 64 + Math.floor(random() * (4096 - 64 + 1))
  chunks.push(bytes.subarray(offset, offset + size))
  offset += size
}
const passes = Math.max(1, Math.round(LINES_PER_RUN / corpus.lines))

interface Run {
  seconds: number
  lines: number
  bytes: number
  counts: Record<string, number>
}

function run(): Run {
  const parser = new LogParser()
  const counts: Record<string, number> = {}
  const started = process.hrtime.bigint()
  for (let pass = 0; pass < passes; pass++) {
    for (const chunk of chunks) {
      for (const event of parser.push(chunk)) counts[event.kind] = (counts[event.kind] ?? 0) + 1
    }
  }
  for (const event of parser.flush()) counts[event.kind] = (counts[event.kind] ?? 0) + 1
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  return { seconds, lines: parser.lineCount, bytes: bytes.length * passes, counts }
}

function countsProblem(counts: Record<string, number>): string | undefined {
  const kinds = new Set([...Object.keys(counts), ...Object.keys(corpus.events)])
  const wrong = [...kinds].filter((kind) => (counts[kind] ?? 0) !== (corpus.events[kind] ?? 0) * passes)
  return wrong.length === 0 ? undefined : wrong.map((kind) => `${kind}: ${counts[kind] ?? 0}, expected ${(corpus.events[kind] ?? 0) * passes}`).join('; ')
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

/** Runs the parser half; false when the event counts differ from the corpus's. */
function runParserBench(): boolean {
  console.log(`corpus: ${corpus.lines} lines, ${(bytes.length / 1e6).toFixed(2)} MB, ${chunks.length} chunks of 64–4096 bytes; ${passes} passes per run, ${RUNS} runs`)
  // One untimed warm-up so the runs compare optimised code.
  run()
  const results: Run[] = []
  let failed = false
  for (let i = 0; i < RUNS; i++) {
    const result = run()
    results.push(result)
    const problem = countsProblem(result.counts)
    if (problem) failed = true
    console.log(
      `run ${i + 1}: ${result.lines} lines in ${result.seconds.toFixed(2)} s = ${Math.round(result.lines / result.seconds).toLocaleString('en')} lines/s, ${(result.bytes / 1e6 / result.seconds).toFixed(1)} MB/s; events ${problem ? `WRONG: ${problem}` : 'exact'}`,
    )
  }
  const linesPerSecond = median(results.map((result) => result.lines / result.seconds))
  const megabytesPerSecond = median(results.map((result) => result.bytes / 1e6 / result.seconds))
  console.log(`median: ${Math.round(linesPerSecond).toLocaleString('en')} lines/s, ${megabytesPerSecond.toFixed(1)} MB/s (target ≥ ${TARGET_LINES_PER_SECOND.toLocaleString('en')} lines/s)`)
  console.log(JSON.stringify({ bench: 'logs', linesPerSecond: Math.round(linesPerSecond), megabytesPerSecond: Number(megabytesPerSecond.toFixed(2)), target: TARGET_LINES_PER_SECOND, eventsExact: !failed }))
  return !failed
}

let ok = true
if (halves.parser) ok = runParserBench() && ok
if (halves.ui) ok = (await runLogsUiBench()) && ok
if (!ok) process.exitCode = 1
