// A port whose other end stops taking data (a wedged USB adapter; here a pseudo-terminal whose
// master side is held open and never read) must fail a write with a clear error in bounded
// time, and still close, instead of hanging the flash job that wrote to it.
import { createServer, type Socket } from 'node:net'
import { createInterface } from 'node:readline'
import { describe, expect, it } from 'vitest'
import { PairKitError } from '../../../src/common/errors'
import { openLink } from '../../../src/main/serial/link'
import { spawnTracked } from '../../support/processes'

// Opens a pty, puts it in raw mode, prints the slave's path and then never reads the master.
const HOLD_PTY = 'import os, pty, time, tty\nm, s = pty.openpty()\ntty.setraw(s)\nprint(os.ttyname(s), flush=True)\ntime.sleep(120)\n'

describe('a port that stops taking data', () => {
  it('fails the write with TIMEOUT and a hint, then closes', async () => {
    const holder = spawnTracked('python3', ['-c', HOLD_PTY])
    const path = await new Promise<string>((resolve) => createInterface({ input: holder.stdout! }).once('line', resolve))
    const warnings: string[] = []
    const link = await openLink(path, { baudRate: 921600, onWarning: (w) => warnings.push(w) })
    const started = Date.now()
    // Far more than the pty's buffers hold, so the write cannot complete.
    const error = await link.write(new Uint8Array(128 * 1024)).then(() => undefined, (e: unknown) => e)
    const tookMs = Date.now() - started
    expect(error).toBeInstanceOf(PairKitError)
    expect((error as PairKitError).code).toBe('TIMEOUT')
    expect((error as PairKitError).message).toMatch(/stopped taking data: 131072 bytes were not sent within/)
    expect((error as PairKitError).hint).toMatch(/Check the cable/)
    // 5 s plus twice the wire time of 128 KiB at 921 600 baud (2.8 s): well under a minute.
    expect(tookMs).toBeLessThan(15_000)
    await link.close()
    expect(link.closed).toBe(true)
    expect(warnings.join('\n')).toMatch(/DTR\/RTS/)
  })

  it('over socket:// too: a server that never reads fails the write with TIMEOUT', async () => {
    const held: Socket[] = []
    // Accepts and never reads: the kernel's buffers fill, then Node's, and the write waits.
    const server = createServer((socket) => {
      socket.pause()
      held.push(socket)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as { port: number }
      // A nominal baud this high makes the limit 5 s plus about 1 s for the wire.
      const link = await openLink(`socket://127.0.0.1:${port}`, { baudRate: 1_000_000_000 })
      const started = Date.now()
      // More than loopback's send and receive buffers can take between them.
      const error = await link.write(new Uint8Array(48 * 1024 * 1024)).then(() => undefined, (e: unknown) => e)
      expect((error as PairKitError).code).toBe('TIMEOUT')
      expect((error as PairKitError).message).toMatch(/stopped taking data/)
      expect(Date.now() - started).toBeLessThan(20_000)
      await link.close()
      expect(link.closed).toBe(true)
    } finally {
      for (const socket of held) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})
