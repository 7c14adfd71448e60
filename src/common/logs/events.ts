// The one event shape the log parsers produce and the Monitor view, the ICE view, the diagnosis
// and `pairkit logs parse --json` read. Field names marked "stable" are read by other tools and
// scripts: never rename them. New fields and kinds may be added.
//
// Common to every event:
//   t           device milliseconds since boot where the line has them (ESP-IDF's "(1234)", or
//               its "(HH:MM:SS.mmm)" form converted), else null (mosquitto, libjuice and printf
//               lines carry no millisecond time since boot)                              stable
//   format      the source format of the line(s)
//   sourceLine  1-based number of the record's first line in the stream (pieces of a cut line
//               count as lines); set by LogParser
//   source      the record's lines as text (ANSI removed); set by LogParser; the CLI leaves it
//               out of --json unless asked
//   hostTime    the host's clock (ms since the epoch) when the chunk arrived; set by whoever
//               reads the port (the monitor), absent when parsing a file
//   colour      the level colour of the record's first line, when it had one
import { z } from 'zod'
import { ANSI_COLOURS, type AnsiColour } from './ansi'

export const LogFormatSchema = z.enum([
  'esp-idf', // ESP_LOGx records: "I (1234) tag: message"
  'mosquitto', // "N: message"
  'libjuice', // "HH:MM:SS LEVEL   file.c:line: message"
  'esp-peer', // esp-peer's prefix-less printf lines
  'printf', // the example's prefix-less printf lines (TOPIC=, DATA=, desc->valuestring:, candN:)
  'rom', // the mask ROM's lines before the second-stage bootloader
  'panic', // ESP-IDF's panic handler output
  'text', // a line no parser knows
  'pairkit', // PairKit's own peer (src/common/serverless/peer-events.ts), through the adapter
])
export type LogFormat = z.infer<typeof LogFormatSchema>

const EndpointSchema = z.object({ address: z.string(), port: z.number().int() })
export type Endpoint = z.infer<typeof EndpointSchema>

const AnsiColourSchema = z.enum(ANSI_COLOURS as [AnsiColour, ...AnsiColour[]])

const common = {
  t: z.number().nullable(),
  format: LogFormatSchema,
  sourceLine: z.number().int().positive().optional(),
  source: z.array(z.string()).optional(),
  hostTime: z.number().optional(),
  colour: AnsiColourSchema.optional(),
}

export const IceStateNameSchema = z.enum(['gathering', 'connecting', 'connected', 'completed', 'failed', 'disconnected'])
export type IceStateName = z.infer<typeof IceStateNameSchema>

export const CandidateTypeSchema = z.enum(['host', 'srflx', 'prflx', 'relay', 'unknown'])
export type CandidateTypeName = z.infer<typeof CandidateTypeSchema>

export const RebootCauseSchema = z.enum([
  'power-on',
  'software', // esp_restart() or a software reset the ROM reports
  'deep-sleep', // "Non recoverable error, going to sleep", or the ROM's wake from deep sleep
  'ice-failure', // libjuice state failed/disconnected: the example calls esp_restart()
  'panic',
  'watchdog',
  'brownout',
  'external', // reset pin, USB-serial chip reset, JTAG
  'other',
])
export type RebootCause = z.infer<typeof RebootCauseSchema>

export const LogEventSchema = z.discriminatedUnion('kind', [
  z.object({
    ...common,
    kind: z.literal('wifi'),
    event: z.enum(['got-ip', 'sta-join', 'sta-leave', 'retry', 'fail']), // stable
    ip: z.string().optional(), // stable (got-ip)
    mask: z.string().optional(),
    gateway: z.string().optional(),
    mac: z.string().optional(), // stable (sta-join, sta-leave)
    aid: z.number().int().optional(),
    reason: z.string().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('broker'),
    event: z.enum(['starting', 'listening', 'running', 'connection', 'client-connected', 'client-disconnected', 'terminating']), // stable
    version: z.string().optional(),
    port: z.number().int().optional(), // stable: the listen port (running), the client's port (client-connected)
    clientId: z.string().optional(), // stable
    address: z.string().optional(), // stable
    listenPort: z.number().int().optional(),
    protocol: z.number().int().optional(),
    clean: z.boolean().optional(),
    keepalive: z.number().int().optional(),
    username: z.string().optional(),
    /** client-disconnected: closed, disconnected, timeout or taken-over. */
    reason: z.string().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('signalling'),
    event: z.enum([
      'connecting', 'connected', 'waiting', 'sync-done', 'waiting-description', 'description-sent', 'message',
      'description-received', 'disconnected', 'error', 'failed', 'joined', 'ice-servers',
    ]), // stable
    /**
     * failed: broker-unreachable, sync-timeout, sync-lost, description-timeout, publish-failed,
     * client-failed, subscribe-failed, gathering-timeout, sync-failed, or PairKit's own text.
     */
    reason: z.string().optional(), // stable
    topic: z.string().optional(),
    payload: z.string().optional(),
    /** message: the payload is a JSON description. */
    description: z.boolean().optional(),
    url: z.string().optional(),
    /** PairKit's own words for a failure. */
    detail: z.string().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('description'),
    side: z.enum(['local', 'remote']),
    ufrag: z.string().optional(),
    options: z.string().optional(),
    /** The number of candN keys of a JSON description. */
    candidates: z.number().int().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('ice-state'),
    state: IceStateNameSchema, // stable
    /** esp-peer's numeric esp_peer_state_t, mapped onto `state`. */
    peerState: z.number().int().optional(),
    controlling: z.boolean().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('ice'),
    event: z.enum([
      'gathering-done', 'timer-started', 'timer-expired', 'consent-expired', 'lost-connectivity', 'role-conflict', 'role',
      'check-sent', 'check-received', 'response-sent', 'indication-received', 'check-succeeded', 'connection-ok',
      'send-not-connected', 'resolve-failed', 'bad-candidate',
    ]),
    controlling: z.boolean().optional(),
    local: EndpointSchema.optional(),
    remote: EndpointSchema.optional(),
    detail: z.string().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('candidate'),
    side: z.enum(['local', 'remote']), // stable
    /** null where the line does not say (esp-peer's "Add remote type:" lines). */
    foundation: z.string().nullable(), // stable
    component: z.number().int(), // stable
    transport: z.string(), // stable
    priority: z.number().nullable(), // stable
    address: z.string(), // stable
    port: z.number().int(), // stable
    type: CandidateTypeSchema, // stable
    relatedAddress: z.string().optional(), // stable
    relatedPort: z.number().int().optional(), // stable
    /** The JSON key it came in (cand0 …). */
    key: z.string().optional(),
    /** Why libjuice would not use it (prflx, not a numeric IPv4 address …). */
    unusable: z.string().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('stun'),
    event: z.enum(['server', 'binding-ok', 'mapped', 'binding-failed']), // stable
    address: z.string().optional(), // stable (mapped)
    port: z.number().int().optional(), // stable (mapped; server)
    host: z.string().optional(),
    detail: z.string().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('candidate-pair'),
    index: z.number().int(), // stable
    local: EndpointSchema, // stable
    remote: EndpointSchema, // stable
    /** esp-peer's pair type (the candidates' type). */
    type: CandidateTypeSchema.optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('selected-pair'),
    remote: EndpointSchema, // stable
    local: EndpointSchema.optional(),
    localType: CandidateTypeSchema.optional(),
    remoteType: CandidateTypeSchema.optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('peer'),
    event: z.enum(['connected', 'dtls-connected', 'data-channel-open', 'disconnected']), // stable
    label: z.string().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('bridge'),
    event: z.enum(['ready', 'local-client-connected', 'local-client-disconnected', 'local-client-error']),
  }),
  z.object({
    ...common,
    kind: z.literal('forward'),
    direction: z.enum(['to-peer', 'from-peer']), // stable
    topic: z.string(), // stable
    payload: z.string().optional(), // stable
    qos: z.number().int().optional(),
    retain: z.boolean().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('drop'),
    /**
     * no-local-client (the stock firmware's receive bug), invalid-message, too-long,
     * unknown-address, not-linked (a local publish before the link is up), or a reason of
     * PairKit's own peer (peer-events.ts DropReason).
     */
    reason: z.string(), // stable
    direction: z.enum(['to-peer', 'from-peer', 'local']).optional(),
    topic: z.string().optional(),
    /** How many messages this event stands for, when more than one (PairKit's aggregated drops). */
    count: z.number().int().positive().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('error'),
    tag: z.string(), // stable: the ESP-IDF tag, or libjuice's file
    func: z.string().optional(), // stable
    line: z.number().int().optional(), // stable: the source line of func(line), or libjuice's
    message: z.string(), // stable
  }),
  z.object({
    ...common,
    kind: z.literal('reboot'),
    cause: RebootCauseSchema, // stable
    /** The firmware said it is about to reboot (the ROM's reset line of the same reboot follows). */
    announced: z.boolean().optional(),
    resetReason: z.string().optional(),
    resetCode: z.number().int().optional(),
    bootMode: z.string().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('panic'),
    /** The exception (LoadProhibited …), abort, assert or stack-overflow. */
    reason: z.string(),
    core: z.number().int().optional(),
    pc: z.string().optional(),
    task: z.string().optional(),
    detail: z.string().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('backtrace'),
    frames: z.array(z.object({ pc: z.string(), sp: z.string() })),
    corrupted: z.boolean().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('boot'),
    event: z.enum(['rom-banner', 'download-mode', 'invalid-header', 'bootloader', 'app-loaded', 'app-info', 'app-main']),
    detail: z.string().optional(),
    version: z.string().optional(),
    offset: z.number().int().optional(),
    key: z.string().optional(),
    value: z.string().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal('raw'),
    text: z.string(), // stable
    /** What the line's prefix said, where it had one. */
    level: z.string().optional(),
    tag: z.string().optional(),
    /** mosquitto's "N:" (seconds; since boot without SNTP). */
    seconds: z.number().optional(),
    /** libjuice's "HH:MM:SS". */
    time: z.string().optional(),
    /** A later piece of a line longer than the cap (see line-splitter.ts). */
    continued: z.boolean().optional(),
  }),
])

export type LogEvent = z.infer<typeof LogEventSchema>
export type LogEventKind = LogEvent['kind']
export type LogEventOf<K extends LogEventKind> = Extract<LogEvent, { kind: K }>

/** What a format parser returns: an event before LogParser adds where it came from. */
export type LogEventBody = LogEvent extends infer E ? (E extends LogEvent ? Omit<E, 'sourceLine' | 'source' | 'hostTime' | 'colour'> : never) : never
