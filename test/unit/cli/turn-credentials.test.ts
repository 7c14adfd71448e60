import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../src/cli/command'
import { peerOptionsFrom } from '../../../src/cli/commands/peer'
import { PASSWORD_ON_COMMAND_LINE_WARNING, turnCredentials, TURN_PASSWORD_ENV, type TurnCredentialSources } from '../../../src/cli/turn-credentials'
import { makeTempDir } from '../../support/temp-dir'

function sources(turn: string, extra: Partial<TurnCredentialSources> = {}): TurnCredentialSources & { warnings: string[] } {
  const warnings: string[] = []
  return { turn, env: {}, readFile: (file) => readFileSync(file, 'utf8'), warn: (message) => warnings.push(message), warnings, ...extra }
}

describe('the TURN password for pairkit peer', () => {
  it('comes from PAIRKIT_TURN_PASSWORD when --turn names only the user', () => {
    const given = sources('tech@turn.example:3479', { env: { [TURN_PASSWORD_ENV]: 'turn-secret-1' } })
    expect(turnCredentials(given)).toEqual({ username: 'tech', password: 'turn-secret-1', server: 'turn.example:3479' })
    expect(given.warnings).toEqual([])
  })

  it('comes from the first line of --turn-password-file, ahead of the environment', () => {
    const file = path.join(makeTempDir('pairkit-turn-'), 'turn-password')
    writeFileSync(file, 'p@ss word:with#signs\r\nsecond line\n')
    const given = sources('turn://tech@turn.example', { passwordFile: file, env: { [TURN_PASSWORD_ENV]: 'other' } })
    expect(turnCredentials(given)).toEqual({ username: 'tech', password: 'p@ss word:with#signs', server: 'turn.example' })
    expect(given.warnings).toEqual([])
  })

  it('still takes USER:PASS@HOST, warning that the process list shows it', () => {
    const given = sources('tech:p@ss@turn.example:3478')
    expect(turnCredentials(given)).toEqual({ username: 'tech', password: 'p@ss', server: 'turn.example:3478' })
    expect(given.warnings).toEqual([PASSWORD_ON_COMMAND_LINE_WARNING])
    expect(PASSWORD_ON_COMMAND_LINE_WARNING).toMatch(/process list.*PAIRKIT_TURN_PASSWORD.*--turn-password-file/)
  })

  it('says what to do when the password is missing, given twice, or unreadable', () => {
    expect(() => turnCredentials(sources('tech@turn.example'))).toThrow(new UsageError('--turn tech@turn.example needs the TURN password: set PAIRKIT_TURN_PASSWORD or pass --turn-password-file FILE'))
    expect(() => turnCredentials(sources('tech@turn.example', { env: { [TURN_PASSWORD_ENV]: '' } }))).toThrow(/needs the TURN password/)
    const dir = makeTempDir('pairkit-turn-')
    const file = path.join(dir, 'pw')
    writeFileSync(file, 'x')
    expect(() => turnCredentials(sources('tech:inline@turn.example', { passwordFile: file }))).toThrow(/once: in --turn-password-file or in --turn, not both/)
    writeFileSync(file, '\nlater')
    expect(() => turnCredentials(sources('tech@turn.example', { passwordFile: file }))).toThrow(/is empty: its first line must be the TURN password/)
    expect(() => turnCredentials(sources('tech@turn.example', { passwordFile: path.join(dir, 'missing') }))).toThrow(/cannot read the TURN password file .*missing/)
    for (const turn of ['turn.example', '@turn.example', 'tech@', ':pw@turn.example']) expect(() => turnCredentials(sources(turn)), turn).toThrow(UsageError)
  })

  it('reaches the peer options through pairkit peer --turn and --turn-password-file', () => {
    const file = path.join(makeTempDir('pairkit-turn-'), 'pw')
    writeFileSync(file, 'turn-secret-2\n')
    const base = { role: '1', signal: 'mqtt://10.0.0.1:1883', topic: '/t' }
    const warnings: string[] = []
    const options = peerOptionsFrom({ ...base, turn: 'tech@turn.example:3479', 'turn-password-file': file }, undefined, (message) => warnings.push(message))
    expect(options.turn).toEqual({ host: 'turn.example', port: 3479, username: 'tech', password: 'turn-secret-2' })
    expect(warnings).toEqual([])
    peerOptionsFrom({ ...base, turn: 'tech:inline@turn.example' }, undefined, (message) => warnings.push(message))
    expect(warnings).toEqual([PASSWORD_ON_COMMAND_LINE_WARNING])
    expect(() => peerOptionsFrom({ ...base, 'turn-password-file': file })).toThrow(/goes with --turn/)
  })
})
