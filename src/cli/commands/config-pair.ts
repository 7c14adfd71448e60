import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { PairKitError } from '../../common/errors'
import { parseNvsSize } from '../../common/nvs'
import { UsageError, type Command } from '../command'
import { writeOutputFile } from '../output-file'

export const configPairCommand: Command = {
  name: 'config pair',
  summary: 'Make the two configurations and NVS images for a pair of bridges from the settings of both sites.',
  usage: 'config pair --a A.json --b B.json --out DIR [--size 0x6000] [--show-secrets] [--json]',
  help: `
Reads each site's settings (JSON: staSsid, staPassword, apSsid, apPassword, and optionally
apChannel, brokerPort, logLevel, and the settings both devices share: peerLibrary,
signallingUri, syncTopic, stunHost, stunPort, turnHost, turnPort, turnUser, turnPassword),
gives site A role 1 and site B role 2, draws a random pair id that makes the sync topic
unique, and writes into DIR:

  a.json, b.json         the two configurations (passwords shown as •••• unless --show-secrets)
  a-nvs.bin, b-nvs.bin   the NVS partition images to flash at the nvs partition's offset

Files that hold passwords (the NVS images, and the JSON files with --show-secrets) are
readable by their owner only (mode 0600).

  --size N         NVS partition size (default 0x6000, the size in ESP-IDF's default tables)
  --show-secrets   write the passwords into a.json and b.json too
  --json           print {"pairId","files"} as one JSON line

Example: pairkit config pair --a plant-a.json --b plant-b.json --out pair-2024-07`,
  options: { a: { type: 'string' }, b: { type: 'string' }, out: { type: 'string' }, size: { type: 'string' }, 'show-secrets': { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  async run({ values, out }) {
    const [fileA, fileB, dir] = [values.a, values.b, values.out]
    if (typeof fileA !== 'string' || typeof fileB !== 'string' || typeof dir !== 'string') throw new UsageError('--a, --b and --out are required')
    const { pairImages, provisionPair, redactConfig, DEFAULT_NVS_SIZE } = await import('../../common/config')
    const size = values.size === undefined ? DEFAULT_NVS_SIZE : parseNvsSize(String(values.size))
    const [siteA, siteB] = await Promise.all([readJson(fileA), readJson(fileB)])
    const pair = provisionPair(siteA, siteB, (length) => globalThis.crypto.getRandomValues(new Uint8Array(length)))
    const images = pairImages(pair, size)
    const show = values['show-secrets'] === true
    await mkdir(dir, { recursive: true })
    const files = {
      'a.json': JSON.stringify(show ? pair.a : redactConfig(pair.a), null, 2) + '\n',
      'b.json': JSON.stringify(show ? pair.b : redactConfig(pair.b), null, 2) + '\n',
      'a-nvs.bin': images.a,
      'b-nvs.bin': images.b,
    }
    const holdsSecrets = (name: string) => name.endsWith('.bin') || show
    for (const [name, content] of Object.entries(files)) await writeOutputFile(path.join(dir, name), content, name, { secret: holdsSecrets(name) })
    const written = Object.keys(files).map((name) => path.join(dir, name))
    out.result({ pairId: pair.pairId, files: written }, () =>
      [
        `Pair ${pair.pairId}: site A is role 1, site B is role 2, sync topic ${pair.a.syncTopic}`,
        ...written.map((file) => `  wrote ${file}`),
        'Flash a-nvs.bin to the site A device and b-nvs.bin to the site B device, at the nvs partition\'s offset.',
      ].join('\n'))
    return 0
  },
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new PairKitError('NOT_FOUND', `cannot read ${file}: ${(error as Error).message}`)
  })
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new PairKitError('BAD_INPUT', `${file} is not valid JSON (${(error as Error).message})`, { hint: 'Check the file for a missing comma or quote.' })
  }
}
