// The members esptool-js's Transport uses (protocol reference §14.4), over a PairKit SerialLink:
// how the benchmarks run esptool-js against the same twins as PairKit, through the same link.
import { openLink, type SerialLink } from '../src/main/serial/link'

export function webSerialPort(url: string) {
  let link: SerialLink | undefined
  const port = {
    readable: null as ReadableStream<Uint8Array> | null,
    writable: null as WritableStream<Uint8Array> | null,
    async open(options: { baudRate: number }) {
      link = await openLink(url, { baudRate: options.baudRate })
      const l = link
      port.readable = new ReadableStream<Uint8Array>({
        start: (controller) =>
          void (l.onData((chunk) => {
            try {
              controller.enqueue(new Uint8Array(chunk))
            } catch {
              /* reader gone */
            }
          }),
          l.onClose(() => {
            try {
              controller.close()
            } catch {
              /* already cancelled */
            }
          })),
      })
      port.writable = new WritableStream<Uint8Array>({ write: (chunk) => l.write(chunk) })
    },
    async close() {
      port.readable = null
      port.writable = null
      await link?.close()
    },
    async setSignals(signals: { dataTerminalReady?: boolean; requestToSend?: boolean }) {
      await link?.setSignals({ ...(signals.dataTerminalReady !== undefined ? { dtr: signals.dataTerminalReady } : {}), ...(signals.requestToSend !== undefined ? { rts: signals.requestToSend } : {}) })
    },
    async setBaudRate(rate: number) {
      await link?.setBaudRate(rate)
    },
    getInfo: () => ({}),
  }
  return port
}
