// The RFC 2217 server answers what pyserial's client waits for: option agreement, then
// each setting echoed as code + 100.
import { describe, expect, it } from 'vitest'
import { clientSetBaudrate, clientSetControl, clientSetParity, clientPurge, CONTROL, decodeBaud, decodeComPort } from '../../../src/common/rfc2217/com-port-option'
import { CLIENT_OPTIONS, OptionNegotiator } from '../../../src/common/rfc2217/options'
import { Rfc2217ServerSession } from '../../../src/common/rfc2217/server-session'
import { escapeIac, TelnetDecoder } from '../../../src/common/rfc2217/telnet'
import { seededRandom } from '../../../src/common/seeded-random'

function answers(bytes: Uint8Array[]) {
  return new TelnetDecoder().push(Uint8Array.from(bytes.flatMap((part) => Array.from(part))))
}

describe('RFC 2217 server session', () => {
  it('reaches the options pyserial treats as mandatory', () => {
    const port = { baud: 115200, dtr: false, rts: false }
    const server = new Rfc2217ServerSession(port)
    const client = new OptionNegotiator(CLIENT_OPTIONS)
    let toClient = server.open()
    let toServer = client.initialRequests()
    for (let round = 0; round < 5; round++) {
      const serverOut = server.receive(Uint8Array.from(toServer.flatMap((part) => Array.from(part))))
      toServer = []
      for (const event of answers([...toClient, ...serverOut.replies])) {
        if (event.type === 'negotiation') toServer.push(...client.receive(event.command, event.option))
      }
      toClient = []
    }
    expect(client.isActive('we-RFC2217')).toBe(true)
    expect(client.isActive('we-BINARY')).toBe(true)
  })

  it('answers settings with code + 100 and applies DTR/RTS and the baud', () => {
    const port = { baud: 115200, dtr: false, rts: false }
    const server = new Rfc2217ServerSession(port)
    const out = server.receive(Uint8Array.from([...clientSetBaudrate(921600), ...clientSetParity(1), ...clientSetControl(CONTROL.DTR_ON), ...clientSetControl(CONTROL.RTS_OFF), ...clientPurge(1)]))
    const replies = answers(out.replies).flatMap((event) => (event.type === 'subnegotiation' ? [decodeComPort(event.payload)] : []))
    expect(replies.map((reply) => reply?.subcommand)).toEqual([101, 103, 105, 105, 112])
    expect(decodeBaud(replies[0]!.value)).toBe(921600)
    expect(port).toEqual({ baud: 921600, dtr: true, rts: false })
    expect(out.requests.map((request) => request.type)).toEqual(['baud', 'dtr', 'rts', 'purge'])
  })

  it('passes data with doubled IAC through intact, and survives random bytes', () => {
    const server = new Rfc2217ServerSession({ baud: 115200, dtr: false, rts: false })
    const data = Uint8Array.of(0x01, 0xff, 0xc0, 0xff, 0xff)
    const out = server.receive(escapeIac(data))
    expect(Array.from(out.data.flatMap((part) => Array.from(part)))).toEqual(Array.from(data))
    const random = seededRandom(5)
    for (let i = 0; i < 500; i++) {
      expect(() => server.receive(Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256)))).not.toThrow()
    }
  })
})

describe('RFC 2217 client session against the server session', () => {
  it('agrees options, sets baud and lines, and carries data both ways', async () => {
    const { Rfc2217ClientSession } = await import('../../../src/common/rfc2217/client-session')
    const port = { baud: 115200, dtr: false, rts: false }
    const server = new Rfc2217ServerSession(port)
    const client = new Rfc2217ClientSession()
    const join = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => Array.from(part)))
    let toServer = client.open()
    let toClient = server.open()
    const answered: number[] = []
    const data: number[] = []
    const pump = (extra: Uint8Array[] = []) => {
      for (let round = 0; round < 6; round++) {
        const s = server.receive(join([...toServer, ...extra]))
        extra = []
        data.push(...s.data.flatMap((part) => Array.from(part)))
        const c = client.receive(join([...toClient, ...s.replies]))
        answered.push(...c.answered)
        toServer = c.replies
        toClient = []
      }
    }
    pump()
    expect(client.ready).toBe(true)
    pump([client.setBaudrate(460800).bytes, client.setDtr(true).bytes, client.setRts(true).bytes, client.encodeData(Uint8Array.of(0xff, 1))])
    expect(answered).toEqual([1, 5, 5])
    expect(port).toEqual({ baud: 460800, dtr: true, rts: true })
    expect(data).toEqual([0xff, 1])
  })
})
