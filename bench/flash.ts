// npm run bench:flash — not a test: flashes a 1 MiB app-like image (~55 % compressible)
// into wire-timed twins over rfc2217 and prints effective kbit/s and wire utilisation at
// 115200 and 921600 baud, then 4 twins in parallel against 1.
//   utilisation = compressed bytes sent ÷ (baud/10 × seconds from FLASH_DEFL_BEGIN to the last ack)
//   job utilisation = the same over the whole job (connect, stub, baud switch, verify, reset)
import type { FlashResult } from '../src/common/flasher/job-state'
import { FlasherService } from '../src/main/flasher'
import { startTwin, type Twin } from '../src/twin/index'
import { appLikeImage } from './app-like-image'

const IMAGE = appLikeImage(1 << 20, 0.55, 1)
const only = process.argv.slice(2)

async function flashTwins(count: number, baud: number): Promise<{ results: FlashResult[]; seconds: number }> {
  const twins: Twin[] = []
  const service = new FlasherService()
  try {
    for (let i = 0; i < count; i++) twins.push(await startTwin({ chip: 'esp32c3', listen: 'rfc2217://127.0.0.1:0', wireTiming: true }))
    const started = performance.now()
    const ids = twins.map((twin) => service.start({ operation: 'flash', port: twin.url, regions: [{ offset: 0x10000, name: 'app', bytes: IMAGE }], options: { baud } }))
    const states = await Promise.all(ids.map((id) => service.wait(id).then((outcome) => outcome.state)))
    const seconds = (performance.now() - started) / 1000
    const results = states.map((state) => {
      if (state.type !== 'done') throw new Error(`flash failed: ${JSON.stringify(state)}`)
      return state.result as FlashResult
    })
    return { results, seconds }
  } finally {
    await service.dispose()
    for (const twin of twins) await twin.close()
  }
}

function line(label: string, r: FlashResult): string {
  const jobUse = r.wireBytes / ((r.baud / 10) * r.seconds)
  return `${label.padEnd(22)} ${String(r.baud).padStart(7)} baud  ${r.bytes} B (${r.wireBytes} compressed) in ${r.seconds.toFixed(2)} s  effective ${r.effectiveKbps.toFixed(0).padStart(5)} kbit/s  wire ${(r.wireUtilisation * 100).toFixed(1)} % while writing, ${(jobUse * 100).toFixed(1)} % over the job`
}

console.log(`image: ${IMAGE.length} bytes, twin esp32c3 over rfc2217 with wire timing`)
for (const baud of [115200, 921600]) {
  if (only.length && !only.includes(String(baud))) continue
  const { results } = await flashTwins(1, baud)
  console.log(line('1 twin', results[0] as FlashResult))
}
if (!only.length || only.includes('parallel')) {
  const one = await flashTwins(1, 921600)
  const four = await flashTwins(4, 921600)
  for (const [i, r] of four.results.entries()) console.log(line(`4 parallel, twin ${i + 1}`, r))
  const ratio = four.seconds / one.seconds
  console.log(`4 twins in parallel: ${four.seconds.toFixed(2)} s vs 1 twin: ${one.seconds.toFixed(2)} s → ${ratio.toFixed(2)}× (target ≤ 1.2×)`)
}
