// Process entry for the `pairkit` bin.
import { runCli } from './main'

const code = await runCli(process.argv.slice(2))
process.exitCode = code
