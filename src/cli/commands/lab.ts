import { UsageError, type Command } from '../command'

/** The chips the demo firmware is made for (src/common/demo-firmware), named here so --help loads nothing. */
const LAB_CHIPS = ['esp32', 'esp32s3', 'esp32c3']
/** The fault scenarios (LAB_FAULTS in the lab contract), likewise. */
const LAB_FAULTS = ['stun-unreachable', 'signalling-down', 'peer-missing', 'packet-loss', 'stock-receive-bug', 'boot-loop', 'panic', 'cable-pulled'] as const

export const labCommand: Command = {
  name: 'lab',
  summary: 'Run a virtual lab: two twins flashed with PairKit\'s demo firmware, provisioned as a pair and connected, on this computer only.',
  usage: 'lab [--chip esp32s3] [--fault NAME | --blank] [--data-dir DIR] [--json]',
  help: `
Starts, on 127.0.0.1 only, a signalling broker, a STUN server and two virtual ESP32s
(twins) on rfc2217:// links; writes PairKit's own demo firmware (serverless_mqtt) to both,
provisions them as roles 1 and 2 of a new pair that uses that broker and STUN server,
resets them and waits until they are connected to each other. It then runs until Ctrl-C
(or SIGTERM), which ends all of it.

The twins' serial links work with every PairKit command and view (probe, monitor, flash,
provision, the bridge test on their brokers) and with esptool. Their flash files and the
demo firmware's build folder are kept in the lab folder of PairKit's data folder.

  --chip NAME     esp32, esp32s3 (default) or esp32c3
  --fault NAME    stage a fault instead of a working pair, and run on with it (open the
                  twins' consoles with \`pairkit monitor\` or in the ICE view to see the diagnosis):
                    stun-unreachable   the STUN server does not answer
                    signalling-down    the signalling broker is stopped
                    peer-missing       only twin 1 runs: its peer never appears
                    packet-loss        the link loses half the datagrams (messages flow both ways)
                    stock-receive-bug  both twins run the stock firmware's receive bug
                    boot-loop          twin 1 restarts every 3 s
                    panic              twin 1 crashes 3 s after start
                    cable-pulled       twin 2's link is cut while it is being flashed
                  The lab then prints {"kind":"fault","fault"} instead of ready.
  --blank         leave the commissioning to you: the twins start with erased flash, nothing
                  is written to them, and the lab's pair is stored with PairKit's pairs as
                  "Virtual lab" (pairs.json; its passwords stay in this process's memory).
                  Commission them with \`pairkit commission --a SERIAL1 --b SERIAL2
                  --bundle FIRMWARE --pair ID --passwords-file FILE\` (the twins have no radio:
                  any Wi-Fi passwords do) while the lab runs. Prints {"kind":"pair","pairId","name"}
                  and then {"kind":"ready","pairId","blank":true}.
  --data-dir DIR  PairKit's data folder (default: PAIRKIT_DATA_DIR, else the app's own)
  --json          one JSON object per line for everything started: {"kind":"signalling","url"},
                  {"kind":"stun","url"}, {"kind":"firmware","path",…}, for each twin
                  {"kind":"twin","role","serial","mqtt",…}; then {"kind":"ready","pairId"}

Example: pairkit lab --json`,
  options: { chip: { type: 'string' }, fault: { type: 'string' }, blank: { type: 'boolean' }, 'data-dir': { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run({ values, out, signal }) {
    const chip = values.chip ?? 'esp32s3'
    if (typeof chip !== 'string' || !LAB_CHIPS.includes(chip)) throw new UsageError(`--chip must be ${LAB_CHIPS.join(', ')}`)
    if (values['data-dir'] === '') throw new UsageError('--data-dir needs a folder')
    const fault = values.fault
    if (fault !== undefined && (typeof fault !== 'string' || !(LAB_FAULTS as readonly string[]).includes(fault))) throw new UsageError(`--fault must be ${LAB_FAULTS.join(', ')}`)
    const blank = values.blank === true
    if (blank && fault !== undefined) throw new UsageError('--blank and --fault go apart: blank devices to commission, or a fault scenario')
    const [{ LabService }, { labTwinStarter }, { resolveDataDir }, { ConfigService }, { MemorySecretStore }] = await Promise.all([
      import('../../main/lab/lab-service'),
      import('../../twin/lab-twin'),
      import('../../main/state/data-dir'),
      import('../../main/services/config-service'),
      import('../../main/secrets/secret-store'),
    ])
    const dataDir = resolveDataDir(typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined)
    const config = new ConfigService(new MemorySecretStore(), dataDir)
    const lab = new LabService({
      startTwin: labTwinStarter({ onNote: (text) => out.error(text) }),
      dataDir,
      storePair: (sites, name) => config.pair(sites, name).pairId,
    })
    lab.onItem((item) => out.result(item, () => describeItem(item)))
    const shownSteps = new Map<number, string>()
    lab.onDidChange((state) => {
      for (const twin of state.twins) {
        if (shownSteps.get(twin.role) === twin.step || twin.step === 'starting') continue
        shownSteps.set(twin.role, twin.step)
        out.info(`Twin ${twin.role}: ${twin.step}`)
      }
    })
    // Ctrl-C reaches us as the abort of `signal`; SIGTERM (a service manager, a test) likewise ends the lab.
    const stopped = new Promise<'stopped'>((resolve) => {
      if (signal.aborted) resolve('stopped')
      signal.addEventListener('abort', () => resolve('stopped'), { once: true })
      process.once('SIGTERM', () => resolve('stopped'))
    })
    try {
      lab.start(chip, fault as (typeof LAB_FAULTS)[number] | undefined, { blank })
      const ready = lab.ready().then(() => 'ready' as const)
      ready.catch(() => undefined)
      if ((await Promise.race([ready, stopped])) === 'ready') {
        const { pairId = '', twins } = lab.state
        if (fault) {
          for (const twin of twins) if (twin.error) out.info(`Twin ${twin.role}: ${twin.error.message}`)
          out.result({ kind: 'fault', fault, pairId }, () => `Running with the fault "${fault}" as pair ${pairId}: open the twins' consoles to see what it does. Ctrl-C ends the lab.`)
        } else if (blank) {
          out.result({ kind: 'ready', pairId, blank: true }, () => `Ready to be commissioned: two blank twins and pair ${pairId} ("Virtual lab"). Ctrl-C ends the lab.`)
        } else out.result({ kind: 'ready', pairId }, () => `Ready: the twins are connected to each other as pair ${pairId}. Ctrl-C ends the lab.`)
        await stopped
      }
    } finally {
      await lab.dispose()
    }
    return 0
  },
}

function describeItem(item: { kind: string; [key: string]: unknown }): string {
  switch (item.kind) {
    case 'signalling':
      return `Signalling broker: ${String(item.url)}`
    case 'stun':
      return `STUN server: ${String(item.url)}`
    case 'firmware':
      return `Demo firmware (${String(item.chip)}): ${String(item.path)}`
    case 'twin':
      return `Twin ${String(item.role)} (site ${item.role === 1 ? 'A' : 'B'}): ${String(item.serial)}, its IoT network broker ${String(item.mqtt)}`
    case 'pair':
      return `Pair ${String(item.pairId)} ("${String(item.name)}"), stored with PairKit's pairs`
    default:
      return JSON.stringify(item)
  }
}
