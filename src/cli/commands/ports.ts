import type { Command } from '../command'

export const portsCommand: Command = {
  name: 'ports',
  summary: 'List serial ports, with the USB bridge of each and whether it is likely an ESP32.',
  usage: 'ports [--json]',
  help: `
Lists every serial port with its path, USB vendor and product id, manufacturer, serial
number and USB bridge (CP210x, CH340/CH9102, FTDI, Espressif USB-Serial/JTAG, USB-OTG CDC).
Paths matching PAIRKIT_EXTRA_PORTS (globs separated by ":") are listed too, e.g. pseudo-terminals.

  --json   one JSON object per port

Example: pairkit ports --json`,
  options: {},
  async run({ out }) {
    const { listExtraPorts, listSystemPorts, parseExtraPortPatterns } = await import('../../main/serial/port-lister')
    const system = await listSystemPorts()
    const seen = new Set(system.map((port) => port.path))
    const extra = (await listExtraPorts(parseExtraPortPatterns(process.env.PAIRKIT_EXTRA_PORTS))).filter((port) => !seen.has(port.path))
    const ports = [...system, ...extra]
    if (out.json) {
      for (const port of ports) out.result(port, () => '')
      return 0
    }
    if (ports.length === 0) {
      out.info('No serial ports found. Check the USB cable (some carry power only) and the driver for the board\'s USB bridge.')
      return 0
    }
    for (const port of ports) {
      const ids = port.vendorId ? `${port.vendorId}:${port.productId ?? '????'}` : '         '
      const what = [port.bridge, port.manufacturer, port.serialNumber && `s/n ${port.serialNumber}`].filter(Boolean).join(', ')
      out.result(port, () => `${port.path.padEnd(20)} ${ids}  ${port.likelyEsp32 ? 'likely ESP32  ' : '              '}${what}`)
    }
    return 0
  },
}
