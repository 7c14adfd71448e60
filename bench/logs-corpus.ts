// A realistic device console for the log parser benchmark: records drawn with the weights of a
// busy bridge's session (mostly ESP-IDF I-lines of forwarded messages and mosquitto's client
// lines, some libjuice and esp-peer lines, candidates, occasional description blocks, boots and
// panics, raw printf text), CRLF line ends, ESP-IDF colours on part of the records. Each record
// knows the events it must give, so the benchmark can check the parser's counts exactly.
import { seededRandom } from '../src/common/seeded-random'

export interface Corpus {
  text: string
  lines: number
  /** Events the parser must give per kind for one pass of `text`. */
  events: Record<string, number>
}

interface Piece {
  lines: string[]
  events: Record<string, number>
}

const GREEN = '\x1b[0;32m'
const RED = '\x1b[0;31m'
const RESET = '\x1b[0m'

export function buildLogCorpus(targetLines: number, seed = 17): Corpus {
  const random = seededRandom(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  let ms = 5000
  let seconds = 5
  const esp = (level: string, tag: string, message: string): string => {
    ms += 1 + Math.floor(random() * 40)
    const line = `${level} (${ms}) ${tag}: ${message}`
    return random() < 0.3 ? `${level === 'E' ? RED : GREEN}${line}${RESET}` : line
  }
  const mosq = (message: string): string => {
    if (random() < 0.05) seconds++
    return `${seconds}: ${message}`
  }
  const juice = (level: string, file: string, message: string): string => `00:00:${String(seconds % 60).padStart(2, '0')} ${level.padEnd(7)} ${file}: ${message}`
  const topic = () => `site/${pick(['temp', 'hum', 'door', 'pump', 'relay/1', 'relay/2'])}/${Math.floor(random() * 100)}`
  const payload = () => pick(['21.5', 'ON', 'OFF', '{"v":42,"u":"C"}', 'open', String(Math.floor(random() * 100000))])
  const client = () => `client-${Math.floor(random() * 1000)}`
  const ip = () => `192.168.4.${2 + Math.floor(random() * 200)}`

  const bootSequence = (): Piece => ({
    lines: [
      'ets Jun  8 2016 00:22:57',
      '',
      'rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
      'configsip: 0, SPIWP:0xee',
      'mode:DIO, clock div:2',
      'load:0x3fff0030,len:7104',
      'entry 0x400805f0',
      esp('I', 'boot', 'ESP-IDF v5.3.1 2nd stage bootloader'),
      esp('I', 'boot', 'Loaded app from partition at offset 0x10000'),
      esp('I', 'app_init', 'Project name:     serverless_mqtt'),
      esp('I', 'main_task', 'Calling app_main()'),
      esp('I', 'esp_netif_handlers', 'sta ip: 192.168.0.40, mask: 255.255.255.0, gw: 192.168.0.1'),
      esp('I', 'serverless_mqtt1', 'Peer is connected!'),
    ],
    events: { boot: 5, raw: 5, reboot: 1, wifi: 1, peer: 1 },
  })

  const records: [number, () => Piece][] = [
    [30, () => {
      const t = topic()
      return {
        lines: [esp('I', 'serverless_mqtt', `handle_message topic:${t}`), esp('I', 'serverless_mqtt', `handle_message data:${payload()}`), esp('I', 'serverless_mqtt', `handle_message qos=${pick([0, 1])}, retain=0`)],
        events: { forward: 1 },
      }
    }],
    [15, () => ({
      lines: [esp('I', 'serverless_mqtt', `forwarding remote message: topic:${topic()}`), esp('I', 'serverless_mqtt', `forwarding remote message: payload:${payload()}`)],
      events: { forward: 1 },
    })],
    [4, () => ({ lines: [esp('I', 'serverless_mqtt1', 'No local mqtt client, dropping data')], events: { drop: 1 } })],
    [15, () => {
      const id = client()
      const address = ip()
      const port = 50000 + Math.floor(random() * 10000)
      return {
        lines: [
          mosq(`New connection from ${address}:${port} on port 1883.`),
          mosq(`New client connected from ${address}:${port} as ${id} (p2, c1, k60).`),
          mosq(pick([`Client ${id} disconnected.`, `Client ${id} closed its connection.`])),
        ],
        events: { broker: 3 },
      }
    }],
    [6, () => ({ lines: [mosq(pick(['Saving in-memory database to mosquitto.db.', 'Using default config.']))], events: { raw: 1 } })],
    [10, () => ({
      lines: [esp('I', pick(['wifi', 'esp_netif_lwip', 'pp', 'net80211', 'mqtt_client']), pick(['new:<6,0>, old:<6,0>, ap:<6,0>, sta:<6,0>, prof:1', 'Set ps type: 0', 'state: run -> init (0)', 'DHCP server assigned IP to a client']))],
      events: { raw: 1 },
    })],
    [3, () => {
      const mac = Array.from({ length: 6 }, () => Math.floor(random() * 256).toString(16).padStart(2, '0')).join(':')
      return { lines: [esp('I', 'serverless_wifi', `station ${mac} ${pick(['join', 'leave'])}, AID=${1 + Math.floor(random() * 4)}`)], events: { wifi: 1 } }
    }],
    [4, () => ({
      lines: [
        juice('INFO', 'agent.c:1378', 'STUN server binding successful'),
        juice('INFO', 'agent.c:1397', `Got STUN mapped address 185.194.44.${Math.floor(random() * 250)}:${40000 + Math.floor(random() * 20000)} from server`),
        juice('WARN', 'agent.c:1303', 'ICE role conflict (both controlling)'),
        juice('INFO', 'agent.c:2412', 'Connectivity timer started'),
      ],
      events: { stun: 2, ice: 2 },
    })],
    [1, () => ({
      lines: [
        esp('I', 'serverless_mqtt1', 'desc: a=ice-ufrag:sGdl'),
        'a=ice-pwd:R4IPGsFctITbT1dCZbfQTL',
        'a=ice-options:ice2,trickle',
        '',
        esp('I', 'serverless_mqtt1', 'desc: {'),
        '\t"desc":\t"a=ice-ufrag:sGdl\\r\\na=ice-pwd:R4IPGsFctITbT1dCZbfQTL\\r\\na=ice-options:ice2,trickle\\r\\n",',
        '\t"cand0":\t"a=candidate:1 1 UDP 2122317823 192.168.0.40 62703 typ host",',
        '\t"cand1":\t"a=candidate:2 1 UDP 1686109951 185.194.44.31 62703 typ srflx raddr 0.0.0.0 rport 0"',
        '}',
      ],
      events: { description: 2, candidate: 2 },
    })],
    [2, () => ({
      lines: ['TOPIC=/topic/serverless_mqtt2', 'DATA=1', 'cand0: cand->valuestring:a=candidate:1 1 UDP 2122317823 192.168.0.41 50123 typ host'],
      events: { signalling: 1, candidate: 1 },
    })],
    [3, () => ({
      lines: [
        `0 Sorted pair ${Math.floor(random() * 3)} type: 1 local:192.168.0.42:63459 Remote:192.168.0.41:60872`,
        esp('I', 'AGENT', '0 Send binding request (cand:0) local:192.168.0.42:63459 remote:192.168.0.41:60872 id:76e5004e797d87a62756c714'),
        esp('I', 'SCTP', '0 state 5'),
      ],
      events: { 'candidate-pair': 1, ice: 1, raw: 1 },
    })],
    [5, () => ({ lines: [pick(['Initials set to 1', 'some printf output from a component', '  at line 42', '--- 0x400d2f3b: app_main at main.c:87'])], events: { raw: 1 } })],
    [2, () => ({
      lines: [esp('E', 'serverless_mqtt', pick(['Received invalid message', 'Fail to forward, message too long']))],
      events: { error: 1, drop: 1 },
    })],
    [1, () => ({ lines: [esp('W', 'wifi', 'Haven\'t to connect to a suitable AP now!'), esp('E', 'esp-tls', 'create_ssl_handle(123): Failed to create ssl handle')], events: { raw: 1, error: 1 } })],
    [0.05, bootSequence],
    [0.02, () => {
      const boot = bootSequence()
      return {
        lines: [
          "Guru Meditation Error: Core  0 panic'ed (LoadProhibited). Exception was unhandled.",
          '',
          'Core  0 register dump:',
          'PC      : 0x400d2f3e  PS      : 0x00060630  A0      : 0x800d2f64  A1      : 0x3ffb5e60  ',
          '',
          'Backtrace: 0x400d2f3b:0x3ffb5e60 0x400d2f61:0x3ffb5e90 0x400d8a2e:0x3ffb5ec0',
          '',
          'ELF file SHA256: 0123456789abcdef',
          '',
          'Rebooting...',
          ...boot.lines,
        ],
        events: { ...add(boot.events, { panic: 1, raw: 7, backtrace: 1, reboot: 1 }) },
      }
    }],
  ]
  const total = records.reduce((sum, [weight]) => sum + weight, 0)

  const out: string[] = []
  const events: Record<string, number> = {}
  while (out.length < targetLines) {
    let roll = random() * total
    let make = records[0]?.[1] as () => Piece
    for (const [weight, record] of records) {
      roll -= weight
      if (roll < 0) {
        make = record
        break
      }
    }
    const piece = make()
    out.push(...piece.lines)
    for (const [kind, count] of Object.entries(piece.events)) events[kind] = (events[kind] ?? 0) + count
  }
  return { text: out.join('\r\n') + '\r\n', lines: out.length, events }
}

function add(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const sum = { ...a }
  for (const [kind, count] of Object.entries(b)) sum[kind] = (sum[kind] ?? 0) + count
  return sum
}
