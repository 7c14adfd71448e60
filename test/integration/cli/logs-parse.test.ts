// `pairkit logs parse` as a user runs it: the README's real device output, and a session built
// with the twin's own console code (ROM banner, bootloader, mosquitto lines, the peer's firmware
// lines shaped by PeerConsole, a failure plan, a Guru Meditation), as a file and as a spooled
// session folder. The twin is what the end-to-end tests run, so its output must parse into the
// events a real device's would.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { twinChipByName, type TwinChipDef } from '../../../src/common/esp/chips'
import { FIRMWARE_MESSAGES, formatJuiceLog, JUICE_MESSAGES } from '../../../src/common/serverless/firmware-log'
import { FirmwareConsole } from '../../../src/main/peer/firmware-console'
import { espLogLine } from '../../../src/twin/boot/esp-log'
import { romBanner, romFlashConfigLines } from '../../../src/twin/boot/rom-log'
import { MOSQUITTO_VERSION } from '../../../src/twin/firmware/mosquitto-broker'
import { guruMeditation } from '../../../src/twin/firmware/panic'
import { PeerConsole } from '../../../src/twin/firmware/peer-console'
import { failurePlan } from '../../../src/twin/firmware/peer-failure'
import { REPO_ROOT, runToEnd, spawnPairkit } from '../../support/processes'
import { makeTempDir } from '../../support/temp-dir'

const README_LIBJUICE = path.join(REPO_ROOT, 'test/fixtures/logs/readme-libjuice.txt')
const README_ESP_PEER = path.join(REPO_ROOT, 'test/fixtures/logs/readme-esp-peer.txt')

const SDP = 'a=ice-ufrag:Tw1n\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=ice-options:ice2,trickle\r\n'
const HOST = 'a=candidate:1 1 UDP 2122317823 127.0.0.1 50001 typ host'
const SRFLX = 'a=candidate:2 1 UDP 1686109951 127.0.0.1 50001 typ srflx raddr 0.0.0.0 rport 0'
const REMOTE_HOST = 'a=candidate:1 1 UDP 2122317823 127.0.0.1 50002 typ host'
const json = (ufrag: string, candidates: string[]) =>
  `{\n${[`\t"desc":\t${JSON.stringify(SDP.replace('Tw1n', ufrag))}`, ...candidates.map((line, i) => `\t"cand${i}":\t${JSON.stringify(line)}`)].join(',\n')}\n}`

/** Three boots of a twin (role 1, stock quirks): linked with the receive bug; a sync timeout; a panic. */
function twinSession(): string {
  const chip = twinChipByName('esp32') as TwinChipDef
  let ms = 27
  let out = ''
  const print = (text: string) => (out += text)
  // As firmware.ts prints: ESP records with colours and "\n" → "\r\n", libjuice and printf plain.
  const esp = (level: 'E' | 'W' | 'I', tag: string, message: string) => print(espLogLine(level, (ms += 7), tag, message.replace(/\n/g, '\r\n'), true))
  const juice = (level: Parameters<typeof formatJuiceLog>[0]['level'], file: string, line: number, message: string) => print(formatJuiceLog({ level, seconds: ms / 1000, file, line, message }) + '\r\n')
  const raw = (text: string) => print(text.replace(/\n/g, '\r\n') + '\r\n')
  const boot = (cause: 'power-on' | 'software') => {
    ms = 27
    print([...romBanner(chip, cause, 'app'), ...romFlashConfigLines(chip, 2)].map((line) => line + '\r\n').join(''))
    esp('I', 'boot', 'ESP-IDF v5.3.1 2nd stage bootloader')
    esp('I', 'app_init', 'Project name:     serverless_mqtt')
    esp('I', 'main_task', 'Calling app_main()')
    for (const line of [`mosquitto version ${MOSQUITTO_VERSION} starting`, 'Using default config.', 'Opening ipv4 listen socket on port 1883.', `mosquitto version ${MOSQUITTO_VERSION} running`]) print(`0: ${line}\r\n`)
  }
  // The peer's own lines (src/main/peer) as the twin shapes them.
  const round = (ufrag: string, then: 'linked' | 'sync-timeout') => {
    const shaped = new PeerConsole({ esp, juice, raw }, 1, 'drop-all')
    const fw = new FirmwareConsole(1, (line) => shaped.line(line))
    fw.juice('INFO', JUICE_MESSAGES.stunServer, '127.0.0.1:3478')
    fw.peer('I', FIRMWARE_MESSAGES.desc(SDP.replace('Tw1n', ufrag)))
    fw.juice('INFO', JUICE_MESSAGES.gatheringDone)
    fw.peer('I', FIRMWARE_MESSAGES.gatheringDone)
    fw.peer('I', FIRMWARE_MESSAGES.desc(json(ufrag, [HOST, SRFLX])))
    fw.peer('I', 'MQTT_EVENT_CONNECTED')
    fw.peer('I', FIRMWARE_MESSAGES.waitingForPeer)
    if (then === 'sync-timeout') {
      fw.peer('E', FIRMWARE_MESSAGES.syncFailed(61))
      for (const record of failurePlan('sync-timeout', 1).records) if (record.kind === 'esp') esp(record.level as 'E', record.tag, record.message)
      return
    }
    fw.peer('I', 'MQTT_EVENT_DATA')
    fw.raw('TOPIC=/topic/serverless_mqtt2')
    fw.raw('DATA=1')
    fw.peer('I', FIRMWARE_MESSAGES.syncDone)
    fw.peer('I', FIRMWARE_MESSAGES.waitingForDescription)
    fw.peer('I', 'MQTT_EVENT_DATA')
    fw.raw('TOPIC=/topic/serverless_mqtt2')
    fw.raw(`DATA=${json('Rem0', [REMOTE_HOST])}`)
    fw.raw(`desc->valuestring:${SDP.replace('Tw1n', 'Rem0')}`)
    fw.raw(`cand0: cand->valuestring:${REMOTE_HOST}`)
    fw.peer('I', FIRMWARE_MESSAGES.juiceState('connecting'))
    fw.juice('INFO', JUICE_MESSAGES.changingState, 'connected')
    fw.peer('I', FIRMWARE_MESSAGES.juiceState('connected'))
    fw.peer('I', FIRMWARE_MESSAGES.peerConnected)
    esp('I', 'serverless_mqtt', 'local client event id:7')
    print(`2: New connection from 127.0.0.1:40000 on port 1883.\r\n2: New client connected from 127.0.0.1:40000 as local_mqtt (p2, c1, k120).\r\n`)
    esp('I', 'serverless_mqtt', 'local client connected')
    esp('I', 'serverless_mqtt', 'Everything is ready, exiting main task')
    for (const payload of ['21.5', '22.0']) {
      fw.bridge('I', FIRMWARE_MESSAGES.handleTopic('site/temp'))
      fw.bridge('I', FIRMWARE_MESSAGES.handleData(payload))
      fw.bridge('I', FIRMWARE_MESSAGES.handleQos(0, false))
      fw.bridge('I', FIRMWARE_MESSAGES.forwardTopic('site/cmd'))
      fw.bridge('I', FIRMWARE_MESSAGES.forwardPayload('ON'))
    }
  }
  boot('power-on')
  round('Aaa1', 'linked')
  boot('software')
  round('Bbb2', 'sync-timeout')
  boot('software')
  print(guruMeditation(chip, undefined).map((line) => line + '\r\n').join(''))
  return out
}

interface JsonEvent {
  kind: string
  event?: string
  state?: string
  reason?: string
  cause?: string
  side?: string
  type?: string
  direction?: string
  id?: string
  source?: string[]
  sourceLine?: number
}

async function parseJson(args: string[]): Promise<JsonEvent[]> {
  const result = await runToEnd(spawnPairkit(['logs', 'parse', ...args, '--json']))
  // stderr may say that the CLI is being built first; never that the command failed.
  expect(result.stderr).not.toMatch(/pairkit logs parse/)
  expect(result.code).toBe(0)
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as JsonEvent)
}

const summary = (event: JsonEvent) => [event.kind, event.event ?? event.state ?? event.reason ?? event.cause ?? event.side ?? event.direction ?? event.id].filter(Boolean).join(':')

describe('pairkit logs parse', () => {
  it('prints one JSON object per event of a real device log, without its source lines unless asked', async () => {
    const events = await parseJson([README_LIBJUICE])
    expect(events.map(summary)).toEqual([
      'wifi:got-ip', 'broker:starting', 'raw', 'broker:listening', 'broker:running', 'description:local',
      'ice-state:gathering', 'ice-state:gathering', 'ice-state:connecting', 'ice-state:connecting',
      'stun:server', 'stun:binding-ok', 'stun:mapped', 'ice:gathering-done', 'ice:gathering-done',
      'description:local', 'candidate:local', 'candidate:local', 'raw',
    ])
    expect(events[0]).toEqual({ kind: 'wifi', t: 4746, format: 'esp-idf', event: 'got-ip', ip: '192.168.0.40', mask: '255.255.255.0', gateway: '192.168.0.1', sourceLine: 1 })
    expect(events.some((event) => 'source' in event)).toBe(false)
    const withSource = await parseJson([README_LIBJUICE, '--source'])
    expect(withSource[5]?.source).toEqual(['I (4756) serverless_mqtt1: desc: a=ice-ufrag:sGdl', 'a=ice-pwd:R4IPGsFctITbT1dCZbfQTL', 'a=ice-options:ice2,trickle', ''])
  })

  it('prints one line per event and the diagnosis for people', async () => {
    const result = await runToEnd(spawnPairkit(['logs', 'parse', README_ESP_PEER]))
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines).toContain('    13.502  ice-state      gathering (esp-peer state 2)')
    expect(lines).toContain('    22.212  selected-pair  → 192.168.0.41:60872')
    expect(lines).toContain('         -  candidate-pair #0 host 192.168.0.42:63459 → 192.168.0.41:60872')
    expect(result.stdout).not.toContain('a8EMa7VBKpFa1I4Rdpv561YDPw')
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('Diagnosis: nothing wrong found in 84 line(s).')
  })

  it('reads the twin\'s console into the events a device\'s gives, with the diagnosis of what went wrong', async () => {
    const dir = makeTempDir('pairkit-logs-')
    const file = path.join(dir, 'twin.log')
    writeFileSync(file, twinSession())
    const events = await parseJson([file, '--diagnose'])
    const kinds = events.map(summary)
    const meaningful = kinds.filter((kind) => kind !== 'raw' && !kind.startsWith('boot:') && !kind.startsWith('error'))
    expect(meaningful).toEqual([
      'reboot:power-on',
      'broker:starting', 'broker:listening', 'broker:running',
      'description:local',
      'ice-state:gathering', 'ice-state:gathering', 'ice-state:connecting', 'ice-state:connecting',
      'stun:server', 'stun:binding-ok', 'stun:mapped', 'ice:gathering-done', 'ice:gathering-done',
      'description:local', 'candidate:local', 'candidate:local',
      'signalling:connected', 'signalling:waiting',
      'signalling:message', 'signalling:sync-done', 'signalling:waiting-description',
      'signalling:message', 'description:remote', 'signalling:description-received', 'candidate:remote',
      'ice:timer-started', 'ice-state:connected', 'ice-state:connected', 'peer:connected',
      'broker:connection', 'broker:client-connected', 'bridge:local-client-connected', 'bridge:ready',
      'forward:to-peer', 'drop:no-local-client', 'forward:to-peer', 'drop:no-local-client',
      'reboot:software',
      'broker:starting', 'broker:listening', 'broker:running',
      'description:local',
      'ice-state:gathering', 'ice-state:gathering', 'ice-state:connecting', 'ice-state:connecting',
      'stun:server', 'stun:binding-ok', 'stun:mapped', 'ice:gathering-done', 'ice:gathering-done',
      'description:local', 'candidate:local', 'candidate:local',
      'signalling:connected', 'signalling:waiting', 'signalling:failed',
      'reboot:deep-sleep',
      'reboot:software',
      'broker:starting', 'broker:listening', 'broker:running',
      'panic:LoadProhibited', 'backtrace', 'reboot:panic',
      // Three reboots in well under five minutes of uptime (the deep sleep's two lines are one).
      'finding:sync-unanswered', 'finding:reboot-loop', 'finding:stock-receive-bug', 'finding:panic',
    ])
    expect(events.find((event) => event.kind === 'signalling' && event.event === 'failed')?.reason).toBe('sync-timeout')
    expect(kinds.filter((kind) => kind.startsWith('boot:'))).toEqual(['boot:rom-banner', 'boot:bootloader', 'boot:app-info', 'boot:app-main', 'boot:rom-banner', 'boot:bootloader', 'boot:app-info', 'boot:app-main', 'boot:rom-banner', 'boot:bootloader', 'boot:app-info', 'boot:app-main'])
  })

  it('reads a spooled session folder as one stream, parts in name order, metadata left out', async () => {
    const dir = makeTempDir('pairkit-spool-')
    const single = path.join(dir, 'single.log')
    const bytes = Buffer.from(twinSession())
    writeFileSync(single, bytes)
    const spool = path.join(dir, 'spool')
    mkdirSync(spool)
    // Parts cut in the middle of lines and of UTF-8-free ANSI sequences, written out of order.
    const cuts = [0, 1000, 1001, 4097, 9000, bytes.length]
    for (let i = cuts.length - 2; i >= 0; i--) writeFileSync(path.join(spool, `part-${String(i).padStart(4, '0')}.raw`), bytes.subarray(cuts[i], cuts[i + 1]))
    writeFileSync(path.join(spool, 'session.json'), '{"device":"twin"}')
    writeFileSync(path.join(spool, '.partial'), 'not yet a part')
    expect(await parseJson([spool, '--source'])).toEqual(await parseJson([single, '--source']))
  })

  it('says what to do when the path is missing, empty or not a log', async () => {
    const dir = makeTempDir('pairkit-logs-bad-')
    const missing = await runToEnd(spawnPairkit(['logs', 'parse', path.join(dir, 'nope.log')]))
    expect(missing.code).toBe(1)
    expect(missing.stderr.trim()).toBe(`pairkit logs parse: ${path.join(dir, 'nope.log')} does not exist. Give the path of a saved log file or of a spooled session folder.`)
    const empty = path.join(dir, 'empty')
    mkdirSync(empty)
    writeFileSync(path.join(empty, 'meta.json'), '{}')
    const none = await runToEnd(spawnPairkit(['logs', 'parse', empty]))
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(/holds no log files\. Give a folder the monitor spooled a session into, or a saved log file\./)
    const usage = await runToEnd(spawnPairkit(['logs', 'parse']))
    expect(usage.code).toBe(2)
  })
})
