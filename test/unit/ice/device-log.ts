// Real-looking console output of the libjuice variant for ICE and diagnosis tests: one boot's
// round (reference §3, the README sample, §8 formats) ending the way a test needs, with the
// firmware's own failure lines and the reboot that follows.
export type RoundOutcome = 'connected' | 'checks-failed' | 'consent-lost' | 'sync-timeout' | 'description-timeout' | 'broker-unreachable' | 'gathering-timeout'

export interface RoundOptions {
  role?: 1 | 2
  /** Boot time of the first line, ms. */
  t0?: number
  ufrag: string
  remoteUfrag?: string
  /** a=candidate: lines of this device (cand0 …). */
  local: string[]
  /** a=candidate: lines the other device sent. */
  remote?: string[]
  stun?: 'ok' | 'failed'
  outcome: RoundOutcome
  /** Messages received from the peer once connected: the stock bug drops each one. */
  received?: { topic: string; payload: string }[]
  receiveBug?: boolean
}

export const HOST_A = 'a=candidate:1 1 UDP 2122317823 192.168.0.40 62703 typ host'
export const SRFLX_A = 'a=candidate:2 1 UDP 1686109951 185.194.44.31 62703 typ srflx raddr 0.0.0.0 rport 0'
export const HOST_B = 'a=candidate:1 1 UDP 2122317823 10.0.0.7 50123 typ host'
export const SRFLX_B = 'a=candidate:2 1 UDP 1686109951 203.0.113.9 41000 typ srflx raddr 0.0.0.0 rport 0'

const PWD = 'R4IPGsFctITbT1dCZbfQTL'

export function juiceRound(options: RoundOptions): string[] {
  const role = options.role ?? 1
  const tag = `serverless_mqtt${role}`
  const other = role === 1 ? 2 : 1
  let t = options.t0 ?? 4700
  const esp = (message: string, level = 'I') => `${level} (${(t += 10)}) ${tag}: ${message}`
  const main = (message: string, level = 'I') => `${level} (${(t += 10)}) serverless_mqtt: ${message}`
  const juice = (file: string, message: string, level = 'INFO') => `00:00:${String(Math.floor(t / 1000) % 60).padStart(2, '0')} ${level.padEnd(7)} ${file}: ${message}`
  const sdp = (ufrag: string) => `a=ice-ufrag:${ufrag}\r\na=ice-pwd:${PWD}\r\na=ice-options:ice2,trickle\r\n`
  const json = (ufrag: string, candidates: string[]) => ['{', `\t"desc":\t${JSON.stringify(sdp(ufrag))}${candidates.length ? ',' : ''}`, ...candidates.map((line, i) => `\t"cand${i}":\t${JSON.stringify(line)}${i < candidates.length - 1 ? ',' : ''}`), '}']
  const setupFailed = (func: string, text: string) => [
    esp(`${func}(176): ${text}`, 'E'),
    esp('peer_init(266): Failed to sync with the other peer', 'E'),
    main('app_main(87): Failed to init peer library', 'E'),
    main('Non recoverable error, going to sleep for some time (random, max 20s)', 'E'),
  ]
  const lines = [
    esp(`desc: a=ice-ufrag:${options.ufrag}`),
    `a=ice-pwd:${PWD}`,
    'a=ice-options:ice2,trickle',
    '',
    juice('agent.c:1100', 'Changing state to gathering'),
    esp('JUICE state change: gathering'),
    juice('agent.c:1100', 'Changing state to connecting'),
    esp('JUICE state change: connecting'),
    juice('agent.c:422', 'Using STUN server stun.l.google.com:19302'),
  ]
  if (options.outcome === 'gathering-timeout') {
    return [...lines, esp('create_candidates(120): Failed to connect to the sync broker', 'E'), esp('peer_init(266): Failed to create juice candidates', 'E'), main('app_main(87): Failed to init peer library', 'E'), main('Non recoverable error, going to sleep for some time (random, max 20s)', 'E')]
  }
  const srflx = options.local.find((line) => / typ srflx/.test(line))
  if ((options.stun ?? 'ok') === 'ok' && srflx) {
    const [, address, port] = / (\d+\.\d+\.\d+\.\d+) (\d+) typ srflx/.exec(srflx) ?? []
    lines.push(juice('agent.c:1378', 'STUN server binding successful'), juice('agent.c:1397', `Got STUN mapped address ${address}:${port} from server`))
  } else {
    lines.push(juice('agent.c:841', 'STUN server binding failed'))
  }
  lines.push(juice('agent.c:2428', 'Candidate gathering done'), esp('Gathering done'))
  const [first, ...rest] = json(options.ufrag, options.local)
  lines.push(esp(`desc: ${first}`), ...rest, esp('Other event id:7'))
  if (options.outcome === 'broker-unreachable') return [...lines, ...setupFailed('sync_peers', 'Failed to connect to the sync broker')]
  lines.push(esp('MQTT_EVENT_CONNECTED'), esp('Waiting for the other peer...'))
  if (options.outcome === 'sync-timeout') return [...lines, ...setupFailed('sync_peers', 'Failed to sync after 61 seconds')]
  lines.push(esp('MQTT_EVENT_DATA'), `TOPIC=/topic/serverless_mqtt${other}`, `DATA=${role === 1 ? '1' : '0'}`, esp('Sync done'), esp('Waiting for the other peer description and candidates...'))
  if (options.outcome === 'description-timeout') return [...lines, ...setupFailed('sync_peers', 'Timeout in waiting for the other peer candidates')]
  const remote = options.remote ?? []
  const remoteUfrag = options.remoteUfrag ?? 'Rmte'
  const [dataFirst, ...dataRest] = json(remoteUfrag, remote)
  lines.push(esp('MQTT_EVENT_DATA'), `TOPIC=/topic/serverless_mqtt${other}`, `DATA=${dataFirst}`, ...dataRest)
  lines.push(`desc->valuestring:a=ice-ufrag:${remoteUfrag}`, `a=ice-pwd:${PWD}`, 'a=ice-options:ice2,trickle', '')
  remote.forEach((line, i) => lines.push(`cand${i}: cand->valuestring:${line}`))
  lines.push(juice('agent.c:2412', 'Connectivity timer started'))
  if (options.outcome === 'checks-failed') {
    t += 39_500
    return [...lines, juice('agent.c:1076', 'Connectivity timer expired'), juice('agent.c:1100', 'Changing state to failed'), esp('JUICE state change: failed')]
  }
  lines.push(juice('agent.c:1100', 'Changing state to connected'), esp('JUICE state change: connected'), esp('Peer is connected!'), main('local client event id:7'), main('Everything is ready, exiting main task'))
  for (const message of options.received ?? []) {
    if (options.receiveBug) lines.push(esp('No local mqtt client, dropping data'))
    else lines.push(main(`forwarding remote message: topic:${message.topic}`), main(`forwarding remote message: payload:${message.payload}`))
  }
  lines.push(juice('agent.c:1100', 'Changing state to completed'), esp('JUICE state change: completed'))
  if (options.outcome === 'consent-lost') {
    t += 30_000
    lines.push(juice('agent.c:860', 'STUN entry 0: Consent expired for candidate pair'), juice('agent.c:979', 'Lost connectivity', 'WARN'), juice('agent.c:1100', 'Changing state to failed'), esp('JUICE state change: failed'))
  }
  return lines
}

/** What the ROM prints as the chip comes back: after deep sleep, or after esp_restart(). */
export function romReset(cause: 'deep-sleep' | 'software' | 'power-on'): string[] {
  const reason = cause === 'deep-sleep' ? '0x5 (DEEPSLEEP_RESET)' : cause === 'software' ? '0xc (SW_CPU_RESET)' : '0x1 (POWERON_RESET)'
  return ['ets Jun  8 2016 00:22:57', '', `rst:${reason},boot:0x13 (SPI_FAST_FLASH_BOOT)`, 'configsip: 0, SPIWP:0xee', 'mode:DIO, clock div:2', 'entry 0x400805f0', 'I (29) boot: ESP-IDF v5.3.1 2nd stage bootloader', 'I (300) main_task: Calling app_main()']
}

/** Lines as the chip sends them. */
export function consoleText(lines: string[]): string {
  return lines.join('\r\n') + '\r\n'
}
