// Every line format of the reference's §8 tables, line by line: what each one means as events.
import { describe, expect, it } from 'vitest'
import type { LogEvent } from '../../../src/common/logs'
import { accountedText, expectedText, fields, parseInChunks, shape } from './log-helpers'

/** The events of `text` (lines joined with CRLF), without what LogParser adds. */
function parse(...lines: string[]): Record<string, unknown>[] {
  return parseInChunks(lines.join('\r\n') + '\r\n').map(fields)
}

function shapes(...lines: string[]): string[] {
  return parseInChunks(lines.join('\r\n') + '\r\n').map(shape)
}

describe('ESP-IDF records', () => {
  it('reads level, time since boot, tag and message; unknown tags stay raw with their prefix read', () => {
    expect(parse('W (1234) wifi:new:<6,0>, old:<1,0>, ap:<255,255>')).toEqual([
      { kind: 'raw', t: 1234, format: 'esp-idf', text: 'W (1234) wifi:new:<6,0>, old:<1,0>, ap:<255,255>', level: 'W', tag: 'wifi' },
    ])
  })

  it('converts the (HH:MM:SS.mmm) system-time form to milliseconds', () => {
    expect(parse('I (00:01:04.746) esp_netif_handlers: sta ip: 10.0.0.7, mask: 255.0.0.0, gw: 10.0.0.1')).toEqual([
      { kind: 'wifi', t: 64746, format: 'esp-idf', event: 'got-ip', ip: '10.0.0.7', mask: '255.0.0.0', gateway: '10.0.0.1' },
    ])
  })

  it('splits esp_check\'s func(line): prefix out of every E-level record', () => {
    expect(parse('E (9000) esp-tls: create_ssl_handle(123): Failed to create ssl handle', 'E (9001) some_tag: plain failure')).toEqual([
      { kind: 'error', t: 9000, format: 'esp-idf', tag: 'esp-tls', func: 'create_ssl_handle', line: 123, message: 'Failed to create ssl handle' },
      { kind: 'error', t: 9001, format: 'esp-idf', tag: 'some_tag', message: 'plain failure' },
    ])
  })

  it('turns the signalling failures of sync_peers and create_candidates into reasons', () => {
    const reasons = (line: string) => parse(line).filter((event) => event.kind === 'signalling').map((event) => event.reason)
    expect(reasons('E (12000) serverless_mqtt1: sync_peers(176): Failed to connect to the sync broker')).toEqual(['broker-unreachable'])
    expect(reasons('E (72000) serverless_mqtt2: sync_peers(176): Failed to sync after 61 seconds')).toEqual(['sync-timeout'])
    expect(reasons('E (22000) serverless_mqtt1: sync_peers(176): Failed to sync with the other peer')).toEqual(['sync-lost'])
    expect(reasons('E (22000) serverless_mqtt1: sync_peers(176): Timeout in waiting for the other peer candidates')).toEqual(['description-timeout'])
    expect(reasons('E (22000) serverless_mqtt1: sync_peers(176): Failed to publish peer\'s description')).toEqual(['publish-failed'])
    expect(reasons('E (35000) serverless_mqtt1: create_candidates(120): Failed to connect to the sync broker')).toEqual(['gathering-timeout'])
    expect(reasons('E (35000) serverless_mqtt1: Failed to subscribe to the sync topic')).toEqual(['subscribe-failed'])
    expect(reasons('E (22000) serverless_mqtt1: app_main(210): Failed to sync with the ohter peer')).toEqual(['sync-failed'])
    // peer_init's summary line repeats a failure already reported: an error, not a second failure.
    expect(reasons('E (22000) serverless_mqtt1: peer_init(266): Failed to sync with the other peer')).toEqual([])
  })

  it('reads the signalling client and handshake lines', () => {
    expect(
      shapes(
        'I (5100) serverless_mqtt1: MQTT_EVENT_CONNECTED',
        'I (5110) serverless_mqtt1: Waiting for the other peer...',
        'I (6110) serverless_mqtt1: Sync done',
        'I (6120) serverless_mqtt1: Waiting for the other peer description and candidates...',
        'I (6500) serverless_mqtt1: MQTT_EVENT_DISCONNECTED',
        'I (6501) serverless_mqtt1: MQTT_EVENT_ERROR',
        'I (6600) serverless_mqtt1: Peer is connected!',
        'I (6700) serverless_mqtt1: Gathering done',
      ),
    ).toEqual(['signalling:connected', 'signalling:waiting', 'signalling:sync-done', 'signalling:waiting-description', 'signalling:disconnected', 'signalling:error', 'peer:connected', 'ice:gathering-done'])
  })

  it('reads every JUICE state and announces the restart the example does on failed and disconnected', () => {
    expect(shapes(...['disconnected', 'gathering', 'connecting', 'connected', 'completed', 'failed'].map((state) => `I (7000) serverless_mqtt2: JUICE state change: ${state}`))).toEqual([
      'ice-state:disconnected',
      'reboot:ice-failure',
      'ice-state:gathering',
      'ice-state:connecting',
      'ice-state:connected',
      'ice-state:completed',
      'ice-state:failed',
      'reboot:ice-failure',
    ])
  })

  it('reads the bridge lines: local client, ready, drops and the deep-sleep reboot (both versions)', () => {
    expect(
      parse(
        'I (8000) serverless_mqtt: local client connected',
        'I (8001) serverless_mqtt: local client disconnected',
        'I (8002) serverless_mqtt: local client error',
        'I (8003) serverless_mqtt: Everything is ready, exiting main task',
        'E (8004) serverless_mqtt: Received invalid message',
        'E (8005) serverless_mqtt: Fail to forward, message too long',
        'I (8006) serverless_mqtt1: No local mqtt client, dropping data',
      ).map((event) => [event.kind, event.event ?? event.reason ?? event.message]),
    ).toEqual([
      ['bridge', 'local-client-connected'],
      ['bridge', 'local-client-disconnected'],
      ['bridge', 'local-client-error'],
      ['bridge', 'ready'],
      ['error', 'Received invalid message'],
      ['drop', 'invalid-message'],
      ['error', 'Fail to forward, message too long'],
      ['drop', 'too-long'],
      ['drop', 'no-local-client'],
    ])
    for (const text of ['Non recoverable error, going to sleep for some time (random, max 20s)', 'Non recoverable error, going to sleep for some time']) {
      expect(parse(`E (9000) serverless_mqtt: ${text}`)).toEqual([
        { kind: 'error', t: 9000, format: 'esp-idf', tag: 'serverless_mqtt', message: text },
        { kind: 'reboot', t: 9000, format: 'esp-idf', cause: 'deep-sleep', announced: true },
      ])
    }
  })

  it('assembles handle_message\'s three lines into one forwarded message, payload line breaks included', () => {
    const lines = [
      'I (9100) serverless_mqtt: handle_message topic:site/temp',
      'I (9101) serverless_mqtt: handle_message data:21.5',
      'I (9102) serverless_mqtt: handle_message qos=1, retain=1',
      'I (9200) serverless_mqtt: handle_message topic:site/text',
      'I (9201) serverless_mqtt: handle_message data:first line',
      'second line',
      'I (9202) serverless_mqtt: handle_message qos=0, retain=0',
      'I (9300) serverless_mqtt: forwarding remote message: topic:site/cmd',
      'I (9301) serverless_mqtt: forwarding remote message: payload:ON',
    ]
    const events = parseInChunks(lines.join('\r\n') + '\r\n')
    expect(events.map(fields)).toEqual([
      { kind: 'forward', t: 9100, format: 'esp-idf', direction: 'to-peer', topic: 'site/temp', payload: '21.5', qos: 1, retain: true },
      { kind: 'forward', t: 9200, format: 'esp-idf', direction: 'to-peer', topic: 'site/text', payload: 'first line\nsecond line', qos: 0, retain: false },
      { kind: 'forward', t: 9300, format: 'esp-idf', direction: 'from-peer', topic: 'site/cmd', payload: 'ON' },
    ])
    expect(events.map((event) => [event.sourceLine, event.source?.length])).toEqual([
      [1, 3],
      [4, 4],
      [8, 2],
    ])
  })

  it('counts a local publish before the link is up as dropped, as the example forwards nothing then (§2.6)', () => {
    const publish = ['I (3000) serverless_mqtt: handle_message topic:a/b', 'I (3001) serverless_mqtt: handle_message data:x', 'I (3002) serverless_mqtt: handle_message qos=0, retain=0']
    const events = parse('I (27) boot: ESP-IDF v5.3.1 2nd stage bootloader', ...publish, 'I (9000) serverless_mqtt1: Peer is connected!', ...publish)
    expect(events.map((event) => [event.kind, event.reason ?? event.direction ?? event.event])).toEqual([
      ['boot', 'bootloader'],
      ['drop', 'not-linked'],
      ['peer', 'connected'],
      ['forward', 'to-peer'],
    ])
  })

  it('reads the Wi-Fi lines of serverless_wifi', () => {
    expect(
      parse(
        'I (1000) serverless_wifi: station 0C:8B:95:aa:bb:cc join, AID=1',
        'I (2000) serverless_wifi: station 0c:8b:95:aa:bb:cc leave, AID=1',
        'I (3000) serverless_wifi: retry to connect to the AP',
        'I (4000) serverless_wifi: Connect to the AP fail',
        'I (5000) serverless_wifi: Got ip:192.168.1.50',
        'E (31000) serverless_wifi: wifi_connect(95): Failed to obtain IP address from WiFi station',
      ).map((event) => [event.kind, event.event, event.mac ?? event.ip ?? event.reason ?? event.func]),
    ).toEqual([
      ['wifi', 'sta-join', '0c:8b:95:aa:bb:cc'],
      ['wifi', 'sta-leave', '0c:8b:95:aa:bb:cc'],
      ['wifi', 'retry', undefined],
      ['wifi', 'fail', 'retries-exhausted'],
      ['wifi', 'got-ip', '192.168.1.50'],
      ['error', undefined, 'wifi_connect'],
      ['wifi', 'fail', 'no-ip'],
    ])
  })

  it('maps every esp_peer_state_t onto the ICE state names', () => {
    const states = Array.from({ length: 12 }, (_, value) => `I (100) serverless_mqtt_webrtc: Peer state: ${value}`)
    expect(parse(...states).map((event) => event.state)).toEqual([
      'disconnected', 'disconnected', 'gathering', 'connecting', 'connected', 'connected', 'completed', 'failed', 'completed', 'completed', 'disconnected', 'disconnected',
    ])
  })
})

describe('mosquitto lines (§8.3)', () => {
  it('reads start-up, connections, clients and their ends', () => {
    expect(
      parse(
        '1: mosquitto version v2.0.20~9 starting',
        '1: Using default config.',
        '1: Opening ipv4 listen socket on port 1883.',
        '1: mosquitto version v2.0.20~9 running',
        '12: New connection from 192.168.4.2:52344 on port 1883.',
        "12: New client connected from 192.168.4.2:52344 as sensor-1 (p5, c0, k60, u'tech').",
        '40: Client sensor-1 closed its connection.',
        '41: Client sensor-2 disconnected.',
        '42: Client sensor-3 has exceeded timeout, disconnecting.',
        '43: Client sensor-4 already connected, closing old connection.',
        '44: Client <unknown> disconnected due to protocol error.',
        '99: mosquitto version v2.0.20~9 terminating',
      ),
    ).toEqual([
      { kind: 'broker', t: null, format: 'mosquitto', event: 'starting', version: 'v2.0.20~9' },
      { kind: 'raw', t: null, format: 'mosquitto', text: '1: Using default config.', seconds: 1 },
      { kind: 'broker', t: null, format: 'mosquitto', event: 'listening', port: 1883 },
      { kind: 'broker', t: null, format: 'mosquitto', event: 'running', version: 'v2.0.20~9', port: 1883 },
      { kind: 'broker', t: null, format: 'mosquitto', event: 'connection', address: '192.168.4.2', port: 52344, listenPort: 1883 },
      { kind: 'broker', t: null, format: 'mosquitto', event: 'client-connected', clientId: 'sensor-1', address: '192.168.4.2', port: 52344, protocol: 5, clean: false, keepalive: 60, username: 'tech' },
      { kind: 'broker', t: null, format: 'mosquitto', event: 'client-disconnected', clientId: 'sensor-1', reason: 'closed' },
      { kind: 'broker', t: null, format: 'mosquitto', event: 'client-disconnected', clientId: 'sensor-2', reason: 'disconnected' },
      { kind: 'broker', t: null, format: 'mosquitto', event: 'client-disconnected', clientId: 'sensor-3', reason: 'timeout' },
      { kind: 'broker', t: null, format: 'mosquitto', event: 'client-disconnected', clientId: 'sensor-4', reason: 'taken-over' },
      { kind: 'broker', t: null, format: 'mosquitto', event: 'client-disconnected', clientId: '<unknown>', reason: 'protocol error' },
      { kind: 'broker', t: null, format: 'mosquitto', event: 'terminating', version: 'v2.0.20~9' },
    ])
  })
})

describe('libjuice lines (§8.4)', () => {
  it('reads every INFO/WARN/ERROR line of the table, with or without colours', () => {
    const lines = [
      '00:00:04 INFO    agent.c:1100: Changing state to completed',
      '00:00:04 INFO    agent.c:422: Using STUN server stun.l.google.com:19302',
      '00:00:04 INFO    agent.c:1378: STUN server binding successful',
      '00:00:04 INFO    agent.c:1397: Got STUN mapped address 2001:db8::7:62703 from server',
      '00:00:28 INFO    agent.c:841: STUN server binding failed',
      '00:00:28 INFO    agent.c:1503: STUN server binding failed (unrecoverable error)',
      '00:00:04 INFO    agent.c:2428: Candidate gathering done',
      '00:00:05 INFO    agent.c:2412: Connectivity timer started',
      '00:00:45 INFO    agent.c:1076: Connectivity timer expired',
      '00:01:45 INFO    agent.c:860: STUN entry 0: Consent expired for candidate pair',
      '00:00:05 INFO    ice.c:191: Failed to resolve address: abc.local:5000',
      '00:01:45 WARN    agent.c:979: Lost connectivity',
      '00:00:05 WARN    agent.c:1303: ICE role conflict (both controlling)',
      '00:00:05 WARN    agent.c:1474: ICE role conflict',
      '00:00:09 WARN    agent.c:1733: Received a datagram from unknown address, ignoring',
      '00:00:09 ERROR   agent.c:595: Send while ICE is not connected',
      '00:00:09 VERBOSE agent.c:10: something else',
    ]
    const plain = parse(...lines)
    const coloured = parse(...lines.map((line) => `${line.includes('ERROR') ? '\x1b[91m' : line.includes('WARN') ? '\x1b[93m' : '\x1b[39m'}${line}\x1b[0m\x1b[0K`))
    expect(coloured).toEqual(plain)
    expect(plain.map((event) => [event.kind, event.state ?? event.event ?? event.reason ?? event.message, event.address ?? event.host ?? event.detail])).toEqual([
      ['ice-state', 'completed', undefined],
      ['stun', 'server', 'stun.l.google.com'],
      ['stun', 'binding-ok', undefined],
      ['stun', 'mapped', '2001:db8::7'],
      ['stun', 'binding-failed', undefined],
      ['stun', 'binding-failed', 'unrecoverable error'],
      ['ice', 'gathering-done', undefined],
      ['ice', 'timer-started', undefined],
      ['ice', 'timer-expired', undefined],
      ['ice', 'consent-expired', undefined],
      ['ice', 'resolve-failed', 'abc.local:5000'],
      ['ice', 'lost-connectivity', undefined],
      ['ice', 'role-conflict', 'both controlling'],
      ['ice', 'role-conflict', undefined],
      ['drop', 'unknown-address', undefined],
      ['error', 'Send while ICE is not connected', undefined],
      ['ice', 'send-not-connected', undefined],
      ['raw', undefined, undefined],
    ])
    expect(plain.find((event) => event.kind === 'error')).toEqual({ kind: 'error', t: null, format: 'libjuice', tag: 'agent.c', line: 595, message: 'Send while ICE is not connected' })
    expect(plain.at(-1)).toEqual({ kind: 'raw', t: null, format: 'libjuice', text: '00:00:09 VERBOSE agent.c:10: something else', level: 'VERBOSE', tag: 'agent.c', time: '00:00:09' })
  })

  it('keeps the level colour of the line', () => {
    const [event] = parseInChunks('\x1b[93m00:00:05 WARN    agent.c:1303: ICE role conflict (both controlling)\x1b[0m\x1b[0K\r\n')
    expect(event?.colour).toBe('bright-yellow')
  })
})

describe('the example\'s printf lines (§3.3)', () => {
  it('assembles TOPIC= and DATA= into one signalling message, a pretty-printed JSON payload included', () => {
    const json = ['DATA={', '\t"desc":\t"a=ice-ufrag:AbCd\\r\\na=ice-pwd:0123456789012345678901\\r\\n",', '\t"cand0":\t"a=candidate:1 1 UDP 2122317823 192.168.1.9 50000 typ host"', '}']
    const events = parseInChunks(['TOPIC=/topic/serverless_mqtt1', 'DATA=0', 'TOPIC=/topic/serverless_mqtt2', ...json, 'TOPIC=/x', 'DATA={"compact":true}'].join('\r\n') + '\r\n')
    expect(events.map(fields)).toEqual([
      { kind: 'signalling', t: null, format: 'printf', event: 'message', topic: '/topic/serverless_mqtt1', payload: '0' },
      { kind: 'signalling', t: null, format: 'printf', event: 'message', topic: '/topic/serverless_mqtt2', description: true },
      { kind: 'signalling', t: null, format: 'printf', event: 'message', topic: '/x', description: true },
    ])
    expect(events[1]?.source).toEqual(['TOPIC=/topic/serverless_mqtt2', ...json])
  })

  it('reads the other side\'s description and candidates', () => {
    expect(
      parse(
        'desc->valuestring:a=ice-ufrag:AbCd',
        'a=ice-pwd:0123456789012345678901',
        'a=ice-options:ice2,trickle',
        '',
        'cand0: cand->valuestring:a=candidate:1 1 UDP 2122317823 192.168.1.9 50000 typ host',
        'cand1: cand->valuestring:a=candidate:2 1 UDP 1686109951 203.0.113.5 50000 typ srflx raddr 0.0.0.0 rport 0',
        'cand2: cand->valuestring:a=candidate:3 1 UDP 1686109951 fe80::1 50000 typ host',
      ),
    ).toEqual([
      { kind: 'description', t: null, format: 'printf', side: 'remote', ufrag: 'AbCd', options: 'ice2,trickle' },
      { kind: 'signalling', t: null, format: 'printf', event: 'description-received' },
      { kind: 'candidate', t: null, format: 'printf', side: 'remote', foundation: '1', component: 1, transport: 'UDP', priority: 2122317823, address: '192.168.1.9', port: 50000, type: 'host', key: 'cand0' },
      { kind: 'candidate', t: null, format: 'printf', side: 'remote', foundation: '2', component: 1, transport: 'UDP', priority: 1686109951, address: '203.0.113.5', port: 50000, type: 'srflx', relatedAddress: '0.0.0.0', relatedPort: 0, key: 'cand1' },
      // libjuice would not use it (the firmware is IPv4 only), the log still shows it.
      { kind: 'candidate', t: null, format: 'printf', side: 'remote', foundation: '3', component: 1, transport: 'UDP', priority: 1686109951, address: 'fe80::1', port: 50000, type: 'host', key: 'cand2', unusable: 'address "fe80::1"' },
    ])
  })

  it('reads the description as the twin prints it: "\\r\\r\\n" inside the message, colour reset at its end', () => {
    const text = '\x1b[0;32mI (812) serverless_mqtt2: desc: a=ice-ufrag:Tw1n\r\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\r\na=ice-options:ice2,trickle\r\r\n\x1b[0m\r\nI (813) serverless_mqtt2: Gathering done\r\n'
    const events = parseInChunks(text, [5])
    expect(events.map(fields)).toEqual([
      { kind: 'description', t: 812, format: 'esp-idf', side: 'local', ufrag: 'Tw1n', options: 'ice2,trickle' },
      { kind: 'ice', t: 813, format: 'esp-idf', event: 'gathering-done' },
    ])
    expect(events[0]?.colour).toBe('green')
    expect(accountedText(events)).toBe(expectedText(text))
  })
})

describe('ROM and second-stage bootloader lines', () => {
  it('turns the ROM\'s reset reasons of several chips into reboot causes', () => {
    const causes = (line: string) => parse(line).map((event) => [event.cause, event.resetReason, event.resetCode, event.bootMode])
    expect(causes('rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)')).toEqual([['power-on', 'POWERON_RESET', 1, 'SPI_FAST_FLASH_BOOT']])
    expect(causes('rst:0x5 (DEEPSLEEP_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)')).toEqual([['deep-sleep', 'DEEPSLEEP_RESET', 5, 'SPI_FAST_FLASH_BOOT']])
    expect(causes('rst:0x10 (RTCWDT_RTC_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)')).toEqual([['watchdog', 'RTCWDT_RTC_RESET', 16, 'SPI_FAST_FLASH_BOOT']])
    expect(causes('rst:0x3 (RTC_SW_SYS_RST),boot:0xc (SPI_FAST_FLASH_BOOT)')).toEqual([['software', 'RTC_SW_SYS_RST', 3, 'SPI_FAST_FLASH_BOOT']])
    expect(causes('rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)')).toEqual([['software', 'SW_CPU_RESET', 12, 'SPI_FAST_FLASH_BOOT']])
    expect(causes('rst:0xf (BROWNOUT_RST),boot:0x8 (SPI_FAST_FLASH_BOOT)')).toEqual([['brownout', 'BROWNOUT_RST', 15, 'SPI_FAST_FLASH_BOOT']])
    expect(causes('rst:0x15 (USB_UART_CHIP_RESET),boot:0x0 (DOWNLOAD(USB/UART0))')).toEqual([['external', 'USB_UART_CHIP_RESET', 21, 'DOWNLOAD(USB/UART0)']])
  })

  it('reads the ROM banner, download mode, a bad header and the bootloader\'s and app start-up\'s lines', () => {
    expect(
      shapes(
        'ets Jun  8 2016 00:22:57',
        'ESP-ROM:esp32c3-api1-20210207',
        'Build:Feb  7 2021',
        'configsip: 0, SPIWP:0xee',
        'clk_drv:0x00,q_drv:0x00,d_drv:0x00,cs0_drv:0x00,hd_drv:0x00,wp_drv:0x00',
        'mode:DIO, clock div:2',
        'load:0x3fff0030,len:7104',
        'entry 0x400805f0',
        'waiting for download',
        'invalid header: 0xffffffff',
        'I (29) boot: ESP-IDF v5.3.1 2nd stage bootloader',
        'I (29) boot: 2nd stage bootloader',
        'I (210) boot: Loaded app from partition at offset 0x10000',
        'I (250) app_init: Project name:     serverless_mqtt',
        'I (250) cpu_start: ESP-IDF:          v4.4.7',
        'I (300) main_task: Calling app_main()',
      ),
    ).toEqual([
      'boot:rom-banner', 'boot:rom-banner', 'raw', 'raw', 'raw', 'raw', 'raw', 'raw', 'boot:download-mode', 'boot:invalid-header',
      'boot:bootloader', 'boot:bootloader', 'boot:app-loaded', 'boot:app-info', 'boot:app-info', 'boot:app-main',
    ])
    expect(parse('I (29) boot: ESP-IDF v5.3.1 2nd stage bootloader', 'I (210) boot: Loaded app from partition at offset 0x10000', 'I (250) app_init: Project name:     serverless_mqtt')).toEqual([
      { kind: 'boot', t: 29, format: 'esp-idf', event: 'bootloader', version: 'v5.3.1' },
      { kind: 'boot', t: 210, format: 'esp-idf', event: 'app-loaded', offset: 0x10000 },
      { kind: 'boot', t: 250, format: 'esp-idf', event: 'app-info', key: 'project', value: 'serverless_mqtt' },
    ])
    expect(parse('configsip: 0, SPIWP:0xee')).toEqual([{ kind: 'raw', t: null, format: 'rom', text: 'configsip: 0, SPIWP:0xee' }])
  })
})

describe('panics', () => {
  it('reads a Guru Meditation with its register dump, backtrace and reboot', () => {
    const events = parse(
      "Guru Meditation Error: Core  0 panic'ed (LoadProhibited). Exception was unhandled.",
      '',
      'Core  0 register dump:',
      'PC      : 0x400d2f3e  PS      : 0x00060630  A0      : 0x800d2f64  A1      : 0x3ffb5e60  ',
      'EXCVADDR: 0x00000000  LBEG    : 0x400014fd  LEND    : 0x4000150d  LCOUNT  : 0xffffffff  ',
      '',
      'Backtrace: 0x400d2f3b:0x3ffb5e60 0x400d2f61:0x3ffb5e90 |<-CORRUPTED',
      'ELF file SHA256: 0123456789abcdef',
      'Rebooting...',
      'PC      : 0x400d2f3e  (a line like a register, after the panic: plain text)',
    )
    expect(events.map((event) => [event.kind, event.format, event.reason ?? event.cause ?? (event.kind === 'backtrace' ? event.frames : undefined)])).toEqual([
      ['panic', 'panic', 'LoadProhibited'],
      ['raw', 'text', undefined],
      ['raw', 'panic', undefined],
      ['raw', 'panic', undefined],
      ['raw', 'panic', undefined],
      ['raw', 'text', undefined],
      ['backtrace', 'panic', [{ pc: '0x400d2f3b', sp: '0x3ffb5e60' }, { pc: '0x400d2f61', sp: '0x3ffb5e90' }]],
      ['raw', 'panic', undefined],
      ['reboot', 'panic', 'panic'],
      ['raw', 'text', undefined],
    ])
    expect(events[0]).toMatchObject({ core: 0 })
    expect(events[6]).toMatchObject({ corrupted: true })
  })

  it('reads abort(), both assert forms, a stack overflow and a RISC-V Guru Meditation', () => {
    expect(
      parse(
        'abort() was called at PC 0x40081a2b on core 1',
        'assert failed: xQueueSemaphoreTake queue.c:1545 (( pxQueue ))',
        'assertion "res == pdTRUE" failed: file "main.c", line 42, function: app_main',
        '***ERROR*** A stack overflow in task mqtt_broker_tas has been detected.',
        "Guru Meditation Error: Core  0 panic'ed (Load access fault). Exception was unhandled.",
        'Brownout detector was triggered',
      ).map((event) => [event.kind, event.reason ?? event.cause, event.pc ?? event.task ?? event.core]),
    ).toEqual([
      ['panic', 'abort', '0x40081a2b'],
      ['panic', 'assert', undefined],
      ['panic', 'assert', undefined],
      ['panic', 'stack-overflow', 'mqtt_broker_tas'],
      ['panic', 'Load access fault', 0],
      ['reboot', 'brownout', undefined],
    ])
  })
})

describe('lines no parser knows', () => {
  it('keeps them as raw text, blank lines included, and never takes a look-alike for a record', () => {
    const lines = ['', 'hello', 'I (abc) tag: not a time', 'I (12)tag: no space', 'E (5) : no tag', '12:34 not mosquitto', '1:2:3 nor libjuice', 'TOPICS=x', 'rst:garbage', 'Rebooting']
    const events = parse(...lines)
    expect(events).toEqual(lines.map((text) => ({ kind: 'raw', t: null, format: 'text', text })))
  })

  it('gives every line to exactly one record, also when a record is interrupted or never closed', () => {
    const text = [
      'I (100) serverless_mqtt: handle_message topic:a/b',
      '00:00:01 INFO    agent.c:2412: Connectivity timer started', // interrupts the triple
      'I (101) serverless_mqtt: handle_message data:x',
      'I (200) serverless_mqtt1: desc: {',
      '\t"desc":\t"a=ice-ufrag:Q1w2\\r\\n",',
      'I (300) serverless_wifi: Got ip:10.1.1.1', // the JSON never closed
      'TOPIC=/t',
    ].join('\r\n')
    const events = parseInChunks(text)
    expect(events.map(shape)).toEqual(['forward:to-peer', 'ice:timer-started', 'raw', 'description:local', 'wifi:got-ip', 'signalling:message'])
    expect(accountedText(events)).toBe(expectedText(text))
  })
})

describe('sourceLine and hostTime', () => {
  it('numbers lines across chunks and stamps the host time of the chunk a record starts in', async () => {
    const { LogParser } = await import('../../../src/common/logs')
    const parser = new LogParser()
    const first = parser.push('I (1) serverless_mqtt1: Sync done\r\nI (2) serverless_mqtt1: desc: a=ice-ufrag:x\r\n', 1000)
    const second = parser.push('a=ice-pwd:y\r\n\r\nI (3) serverless_mqtt1: Peer is connected!\r\n', 2000)
    const events: LogEvent[] = [...first, ...second, ...parser.flush(3000)]
    expect(events.map((event) => [event.kind, event.sourceLine, event.hostTime])).toEqual([
      ['signalling', 1, 1000],
      ['description', 2, 1000],
      ['peer', 5, 2000],
    ])
    expect(parser.lineCount).toBe(5)
  })
})
