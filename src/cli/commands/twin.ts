import { resolve } from 'node:path'
import { twinChipByName, TWIN_CHIPS } from '../../common/esp/chips'
import { isStandardFlashSize, parseFlashSize } from '../../common/esp/flash-size'
import { UsageError, type Command } from '../command'

export const twinCommand: Command = {
  name: 'twin',
  summary: 'Run a virtual ESP32 that esptool and PairKit can flash, reset and monitor.',
  usage:
    'twin --chip esp32|esp32s3|esp32c3 --flash FILE [--flash-size 4MB] [--mac AA:BB:CC:DD:EE:FF] (--listen rfc2217://127.0.0.1:PORT | --listen socket://127.0.0.1:PORT | --tty PATH) [--boot download|app] [--faults SPEC] [--bridge NAME] [--no-wire-timing] [--quirks stock] [--network loopback|any] [--broker-port PORT] [--json]',
  help: `
Runs a virtual chip that speaks the ROM serial bootloader (and esptool's stub after a stub
upload) and boots from its flash like a board: ROM banner, bootloader, app, firmware.
The flash lives in FILE (created 0xFF-filled when missing) and persists across runs.
The first stdout line is the URL to connect to (a JSON object with --json); then one line
each time the firmware's broker (the site's IoT network) listens, with its mqtt:// address
({"broker": …} with --json).

  --chip NAME          esp32, esp32s3 or esp32c3
  --flash FILE         flash contents
  --flash-size SIZE    2MB, 4MB (default), 8MB, 16MB …
  --mac MAC            base MAC in eFuse for this run (default: the twin's own, kept in
                       FILE.twin.json from its first start, so it stays the same device)
  --listen URL         rfc2217://HOST:PORT (DTR/RTS reset the chip, as ser2net with a dev
                       board) or socket://HOST:PORT (raw TCP, no control lines: every
                       connection powers the chip on in the --boot mode); PORT 0 = free port
  --tty PATH           use an existing tty instead (e.g. one end of a socat pty pair)
  --boot MODE          download (default) or app: the strapping without control lines
  --faults SPEC        drop=P,corrupt=P,stall=P,disconnect-after=BYTES,corrupt-reads=P,panic[=S],bootloop=S,
                       datagram-drop=P,seed=N; flood=B makes the app print numbered 100-byte log
                       lines at B bytes/s; datagram-drop loses each datagram the firmware receives
                       from its peer with probability P (a lossy link, seeded)
  --bridge NAME        the USB bridge in front of the chip's UART: cp2102 (921600 baud at
                       most), cp2104, ch340 (2 Mbaud), cp2102n, ft232r (3 Mbaud), ch9102,
                       ft232h, or usb-jtag (the chip's own USB: any rate, at USB speed); above
                       its fastest rate every byte arrives garbled. Default: any rate works
  --no-wire-timing     do not pace bytes at the baud rate (fast tests)
  --quirks stock       reproduce the example firmware's known receive bugs
  --network MODE       loopback (default): the firmware connects only to servers on this
                       computer and says what it skipped; any: to the servers its settings
                       name, wherever they are (the example's defaults are public servers)
  --broker-port PORT   the port the firmware's broker (its IoT network) listens on at every
                       boot, whatever its settings say (default: a free one at each boot)
  --json               print {"url": …} as one JSON line

Example: pairkit twin --chip esp32 --flash board1.bin --listen rfc2217://127.0.0.1:0`,
  options: {
    chip: { type: 'string' },
    flash: { type: 'string' },
    'flash-size': { type: 'string' },
    mac: { type: 'string' },
    listen: { type: 'string' },
    tty: { type: 'string' },
    boot: { type: 'string' },
    faults: { type: 'string' },
    bridge: { type: 'string' },
    'no-wire-timing': { type: 'boolean' },
    quirks: { type: 'string' },
    network: { type: 'string' },
    'broker-port': { type: 'string' },
  },
  async run({ values, out, signal }) {
    const chip = values.chip
    const twinChip = typeof chip === 'string' ? twinChipByName(chip) : undefined
    if (!twinChip) throw new UsageError(`--chip must be ${TWIN_CHIPS.map((twin) => twin.name).join(', ')}`)
    if (typeof values.flash !== 'string') throw new UsageError('--flash FILE is required')
    const flashSize = values['flash-size'] === undefined ? undefined : parseFlashSize(String(values['flash-size']))
    if (values['flash-size'] !== undefined && (flashSize === undefined || !isStandardFlashSize(flashSize))) throw new UsageError('--flash-size takes a size such as 2MB, 4MB or 16MB')
    const mac = values.mac === undefined ? undefined : parseMac(String(values.mac))
    if ((values.listen === undefined) === (values.tty === undefined)) throw new UsageError('give exactly one of --listen URL and --tty PATH')
    const boot = values.boot ?? 'download'
    if (boot !== 'download' && boot !== 'app') throw new UsageError('--boot must be download or app')
    const quirks = values.quirks ?? 'intended'
    if (quirks !== 'stock' && quirks !== 'intended') throw new UsageError('--quirks takes "stock"')
    const network = values.network ?? 'loopback'
    if (network !== 'loopback' && network !== 'any') throw new UsageError('--network takes "loopback" or "any"')
    const brokerPort = values['broker-port'] === undefined ? undefined : Number(values['broker-port'])
    if (brokerPort !== undefined && !(Number.isInteger(brokerPort) && brokerPort >= 1 && brokerPort <= 65535)) throw new UsageError('--broker-port takes a TCP port, 1 to 65535')
    const { parseFaults } = await import('../../twin/faults')
    const faults = parseFaults(typeof values.faults === 'string' ? values.faults : undefined)

    // The firmware may start its broker before the twin's own URL is printed: that comes first.
    const brokersBeforeUrl: string[] = []
    let urlPrinted = false
    const announceBroker = (url: string) => out.result({ broker: url }, () => `IoT network broker: ${url}`)
    const { startTwin } = await import('../../twin')
    const twin = await startTwin({
      chip: twinChip.name,
      flashPath: resolve(values.flash),
      flashSize,
      mac,
      listen: typeof values.listen === 'string' ? values.listen : undefined,
      tty: typeof values.tty === 'string' ? values.tty : undefined,
      boot,
      faults,
      ...(typeof values.bridge === 'string' ? { bridge: values.bridge } : {}),
      wireTiming: values['no-wire-timing'] !== true,
      quirks,
      network,
      ...(brokerPort !== undefined ? { brokerPort } : {}),
      onNote: (text) => out.error(text),
      onBroker: (url) => (urlPrinted ? announceBroker(url) : brokersBeforeUrl.push(url)),
    })
    out.result({ url: twin.url, chip: twin.chip.name, seed: faults.seed }, () => twin.url)
    urlPrinted = true
    for (const url of brokersBeforeUrl.splice(0)) announceBroker(url)
    await new Promise<void>((done) => {
      if (signal.aborted) done()
      signal.addEventListener('abort', () => done(), { once: true })
      process.once('SIGTERM', () => done())
    })
    await twin.close()
    return 0
  },
}

function parseMac(text: string): Uint8Array {
  const match = /^([0-9a-f]{2})(?::([0-9a-f]{2})){5}$/i.test(text)
  if (!match) throw new UsageError('--mac takes six hex bytes such as AA:BB:CC:DD:EE:FF')
  return Uint8Array.from(text.split(':').map((part) => Number.parseInt(part, 16)))
}
