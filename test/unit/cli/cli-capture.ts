// Runs `pairkit …` in-process and captures what it prints.
import { Writable } from 'node:stream'
import { runCli } from '../../../src/cli/main'
import { Output } from '../../../src/cli/output'

export async function runPairkit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const sink = (append: (text: string) => void) => new Writable({ write(chunk, _encoding, done) { append(String(chunk)); done() } })
  const out = new Output(args.includes('--json'), sink((text) => (stdout += text)), sink((text) => (stderr += text)))
  const code = await runCli(args, out)
  return { code, stdout, stderr }
}
