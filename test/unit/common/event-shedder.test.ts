// A client whose connection is behind misses monitor lines (counted, per session) instead of the
// server queueing them for it; every other event still goes out.
import { describe, expect, it } from 'vitest'
import type { ContractEvent, ContractHandlers, MonitorLinesEvent } from '../../../src/common/contract'
import { Emitter } from '../../../src/common/event'
import { createProtocolPair } from '../../../src/common/rpc/memory-protocol'
import { RpcClient } from '../../../src/common/rpc/client'
import { EventShedder, SHED_BACKLOG_BYTES } from '../../../src/common/rpc/event-shedder'
import { RpcServer } from '../../../src/common/rpc/server'

const lines = (sessionId: string, from: number, count: number, dropped = 0): ContractEvent => ({
  name: 'monitor.lines',
  payload: {
    sessionId,
    fromSeq: from,
    lines: Array.from({ length: count }, (_, i) => ({ seq: from + i, hostTime: 0, text: `line ${from + i}` })),
    dropped,
    events: [{ seq: from, lineSeq: from, event: { kind: 'reboot', t: null, format: 'rom', cause: 'power-on' } }],
    droppedEvents: 0,
    totals: { bytes: 0, lines: from + count - 1 },
  },
})

describe('event shedder', () => {
  it('skips lossy events while the transport is behind and tells the next one per session what was missed', () => {
    let backlog = 0
    const shedder = new EventShedder(() => backlog)
    expect(shedder.admit(lines('a', 1, 2))).toEqual(lines('a', 1, 2))
    backlog = SHED_BACKLOG_BYTES + 1
    expect(shedder.admit(lines('a', 3, 5))).toBeUndefined()
    expect(shedder.admit(lines('b', 1, 4, 2))).toBeUndefined()
    expect(shedder.admit(lines('a', 8, 1))).toBeUndefined()
    const status: ContractEvent = { name: 'app.log', payload: { level: 'info', message: 'still told', time: 1 } }
    expect(shedder.admit(status)).toBe(status)
    backlog = 0
    expect(shedder.admit(lines('a', 9, 1))?.payload).toMatchObject({ dropped: 6, droppedEvents: 2 })
    expect(shedder.admit(lines('b', 5, 1))?.payload).toMatchObject({ dropped: 6, droppedEvents: 1 })
    expect(shedder.admit(lines('a', 10, 1))?.payload).toMatchObject({ dropped: 0, droppedEvents: 0 })
  })

  it('is what the RpcServer applies, per connection', async () => {
    const events = new Emitter<ContractEvent>()
    const [clientSide, serverSide] = createProtocolPair()
    let backlog = 0
    const server = new RpcServer({ ...serverSide, backlogBytes: () => backlog }, {} as ContractHandlers, events.event, 5)
    const client = new RpcClient(clientSide)
    const got: MonitorLinesEvent[] = []
    client.on('monitor.lines', (batch) => got.push(batch))
    events.fire(lines('s', 1, 3))
    backlog = 2 * SHED_BACKLOG_BYTES
    events.fire(lines('s', 4, 3))
    backlog = 0
    events.fire(lines('s', 7, 1))
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(got.map((batch) => [batch.fromSeq, batch.lines.length, batch.dropped])).toEqual([[1, 3, 0], [7, 1, 3]])
    server.dispose()
    client.dispose()
  })
})
