// Two peers in private networks, each behind its own MASQUERADE NAT namespace, with STUN and
// the signalling broker on the "public" side: host candidates are unreachable, so the peers
// must connect through their server-reflexive candidates. Needs root (iproute2 + iptables);
// the namespaces are created and removed here, also when the test fails.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const tag = `pk${process.pid % 100000}`
const SERVICES = '203.0.113.10'
const NS = { pub: `${tag}pub`, natA: `${tag}natA`, natB: `${tag}natB`, lanA: `${tag}lanA`, lanB: `${tag}lanB` }

// Network namespaces need root (CI runs as root). Where the test runs as root, a missing
// `ip` or `iptables` fails it rather than skipping it: `npm test` installs both.
const isRoot = process.getuid?.() === 0

const sh = (ns: string | undefined, ...command: string[]) =>
  execFileSync(ns ? 'ip' : command[0] as string, ns ? ['netns', 'exec', ns, ...command] : command.slice(1), { stdio: 'pipe' })

function createTopology(): void {
  for (const ns of Object.values(NS)) sh(undefined, 'ip', 'netns', 'add', ns)
  for (const ns of Object.values(NS)) sh(ns, 'ip', 'link', 'set', 'lo', 'up')
  // pub routes between the two NATs' WAN links and hosts STUN + signalling on 203.0.113.10.
  sh(undefined, 'ip', 'link', 'add', 'pa0', 'netns', NS.pub, 'type', 'veth', 'peer', 'name', 'wan0', 'netns', NS.natA)
  sh(undefined, 'ip', 'link', 'add', 'pb0', 'netns', NS.pub, 'type', 'veth', 'peer', 'name', 'wan0', 'netns', NS.natB)
  sh(undefined, 'ip', 'link', 'add', 'lan1', 'netns', NS.natA, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', NS.lanA)
  sh(undefined, 'ip', 'link', 'add', 'lan1', 'netns', NS.natB, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', NS.lanB)
  const addr = (ns: string, dev: string, cidr: string) => {
    sh(ns, 'ip', 'addr', 'add', cidr, 'dev', dev)
    sh(ns, 'ip', 'link', 'set', dev, 'up')
  }
  addr(NS.pub, 'pa0', '198.51.100.1/30')
  addr(NS.pub, 'pb0', '198.51.100.5/30')
  addr(NS.natA, 'wan0', '198.51.100.2/30')
  addr(NS.natB, 'wan0', '198.51.100.6/30')
  addr(NS.natA, 'lan1', '10.0.1.1/24')
  addr(NS.natB, 'lan1', '10.0.2.1/24')
  addr(NS.lanA, 'eth0', '10.0.1.2/24')
  addr(NS.lanB, 'eth0', '10.0.2.2/24')
  // The services get their own address, so UDP replies leave from the address the peers asked
  // (a wildcard socket would answer B from 198.51.100.5, and STUN clients ignore that).
  sh(NS.pub, 'ip', 'addr', 'add', `${SERVICES}/32`, 'dev', 'lo')
  sh(NS.pub, 'sysctl', '-qw', 'net.ipv4.ip_forward=1')
  for (const [nat, gw] of [[NS.natA, '198.51.100.1'], [NS.natB, '198.51.100.5']] as const) {
    sh(nat, 'sysctl', '-qw', 'net.ipv4.ip_forward=1')
    sh(nat, 'ip', 'route', 'add', 'default', 'via', gw)
    sh(nat, 'iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE')
    // Like a home router's firewall: drop unsolicited inbound UDP. Without it, an early check
    // from the other peer leaves a conntrack entry that makes MASQUERADE pick another source
    // port for our own outgoing check, and hole punching fails (dropped packets are never confirmed).
    sh(nat, 'iptables', '-A', 'INPUT', '-i', 'wan0', '-p', 'udp', '-m', 'conntrack', '--ctstate', 'NEW', '-j', 'DROP')
  }
  sh(NS.lanA, 'ip', 'route', 'add', 'default', 'via', '10.0.1.1')
  sh(NS.lanB, 'ip', 'route', 'add', 'default', 'via', '10.0.2.1')
}

function removeTopology(): void {
  for (const ns of Object.values(NS)) {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' })
    } catch {
      // not created
    }
  }
}

interface AgentLine {
  ready?: boolean
  event?: { type: string; candidate?: string; remote?: string }
  received?: { topic: string; payload: string }
}

interface Agent {
  child: ChildProcess
  lines: AgentLine[]
  waitFor(match: (line: AgentLine) => boolean, timeoutMs: number, what: string): Promise<AgentLine>
  send(command: unknown): void
}

function startAgent(ns: string, args: string[]): Agent {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', 'test/integration/peer/netns-agent.ts', ...args], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] })
  const lines: AgentLine[] = []
  const waiters = new Set<() => void>()
  let stderr = ''
  child.stderr?.on('data', (chunk) => (stderr += chunk))
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line))
    } catch {
      return
    }
    for (const waiter of [...waiters]) waiter()
  })
  return {
    child,
    lines,
    send: (command) => child.stdin?.write(JSON.stringify(command) + '\n'),
    waitFor(match, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(match)
          if (found) {
            waiters.delete(check)
            clearTimeout(timer)
            resolve(found)
          }
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`${ns}: timed out waiting for ${what}; stderr: ${stderr.slice(-500)}; last lines: ${JSON.stringify(lines.slice(-5))}`))
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },
  }
}

describe.runIf(isRoot)('two peers behind NAT (network namespaces)', () => {
  const agents: Agent[] = []
  let peerA: Agent
  let peerB: Agent

  beforeAll(async () => {
    removeTopology()
    createTopology()
    const services = startAgent(NS.pub, ['services', SERVICES])
    agents.push(services)
    await services.waitFor((l) => l.ready === true, 20_000, 'services')
    const prefix = `/nat/${tag}_`
    peerA = startAgent(NS.lanA, ['peer', '1', SERVICES, prefix, '10.0.1.2'])
    peerB = startAgent(NS.lanB, ['peer', '2', SERVICES, prefix, '10.0.2.2'])
    agents.push(peerA, peerB)
    await Promise.all([peerA, peerB].map((agent) => agent.waitFor((l) => l.event?.type === 'linked', 40_000, 'linked')))
  }, 90_000)

  afterAll(() => {
    for (const agent of agents) if (agent.child.pid && agent.child.exitCode === null) agent.child.kill('SIGKILL')
    removeTopology()
  })

  it('gathers srflx candidates from the NAT and selects a pair through them', async () => {
    const localOfA = peerA.lines.filter((l) => l.event?.type === 'local-candidate').map((l) => l.event?.candidate ?? '')
    expect(localOfA.some((c) => c.includes(' 10.0.1.2 ') && c.endsWith('typ host'))).toBe(true)
    expect(localOfA.some((c) => c.includes(' 198.51.100.2 ') && c.includes('typ srflx'))).toBe(true)
    const pairA = (await peerA.waitFor((l) => l.event?.type === 'selected-pair', 1000, 'pair')).event
    const pairB = (await peerB.waitFor((l) => l.event?.type === 'selected-pair', 1000, 'pair')).event
    expect(pairA?.remote).toMatch(/ 198\.51\.100\.6:\d+$/)
    expect(pairB?.remote).toMatch(/ 198\.51\.100\.2:\d+$/)
  })

  it('carries messages both ways through the NATs', async () => {
    await Promise.all([peerA.waitFor((l) => l.ready === true, 5000, 'client A'), peerB.waitFor((l) => l.ready === true, 5000, 'client B')])
    peerA.send({ publish: { topic: 'nat/a', payload: 'from behind NAT A' } })
    peerB.send({ publish: { topic: 'nat/b', payload: 'from behind NAT B' } })
    await peerB.waitFor((l) => l.received?.topic === 'nat/a' && l.received.payload === 'from behind NAT A', 5000, 'A→B')
    await peerA.waitFor((l) => l.received?.topic === 'nat/b' && l.received.payload === 'from behind NAT B', 5000, 'B→A')
  })
})
