// What `pairkit provision` writes: an NVS image from a file, or a pair from the app's data
// folder made at the size of the device's nvs partition. Loaded by provision.ts inside `run`.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { SECRET_FIELDS } from '../../common/config'
import { PairKitError } from '../../common/errors'
import { readNvsPartition } from '../../common/nvs'
import { readInputFile } from '../../main/bundle/read-input-file'
import type { ProvisionNvsOptions } from '../../main/provision/provision-nvs'
import { MemorySecretStore } from '../../main/secrets/secret-store'
import { ConfigService, pairSecretId } from '../../main/services/config-service'
import { readPairRecords } from '../../main/services/pair-records'
import { resolveDataDir } from '../../main/state/data-dir'

export type ProvisionSource = Pick<ProvisionNvsOptions, 'image' | 'describe' | 'pair'>

export async function provisionSource(options: { pair?: { pairId: string; role: 1 | 2 }; nvsFile?: string; dataDir?: string }): Promise<ProvisionSource> {
  if (options.nvsFile !== undefined) return fromFile(options.nvsFile)
  if (options.pair) return fromPair(options.pair.pairId, options.pair.role, resolveDataDir(options.dataDir))
  throw new PairKitError('USAGE', 'nothing to write: give --pair or --nvs')
}

async function fromFile(file: string): Promise<ProvisionSource> {
  const image = await readInputFile(file)
  if (image.length === 0 || image.length % 0x1000 !== 0) {
    throw new PairKitError('BAD_INPUT', `${file} is ${image.length} bytes, not an NVS partition image (a whole number of 4096-byte pages); nothing was written`, {
      hint: 'Give an image written by `pairkit config pair` (a-nvs.bin, b-nvs.bin) or `pairkit nvs generate`.',
    })
  }
  const damage = readNvsPartition(image).problems.find((problem) => problem.severity === 'error')
  if (damage) {
    throw new PairKitError('BAD_INPUT', `${file} is not a sound NVS partition image (${damage.message}); nothing was written`, { hint: 'Check with `pairkit nvs dump`, or make the image again.' })
  }
  const config = new ConfigService(new MemorySecretStore())
  return { image: () => image, describe: (bytes) => config.readBackImage(bytes) }
}

function fromPair(pairId: string, role: 1 | 2, dataDir: string): ProvisionSource {
  const record = readPairRecords(dataDir).find((candidate) => candidate.pairId === pairId)
  if (!record) {
    throw new PairKitError('NOT_FOUND', `PairKit's data folder ${dataDir} has no pair ${pairId}`, { hint: 'Check the pair id in Configure, or give the app\'s data folder with --data-dir.' })
  }
  // The app keeps passwords where no other program reads them. A pair without any (open
  // networks, no TURN or broker password) needs none, so its images can be made here.
  if (record.secrets === undefined || record.secrets.length > 0) {
    const where = existsSync(path.join(dataDir, 'secrets.json')) ? 'encrypted with this computer\'s keychain by the desktop app' : 'in memory by the PairKit app while it runs'
    throw new PairKitError('UNAVAILABLE', `the passwords of pair ${pairId} are kept ${where}, where this command cannot read them; nothing was written`, {
      hint: 'Make the images with `pairkit config pair` (a-nvs.bin, b-nvs.bin) or download the device\'s image in Configure, then run `pairkit provision --nvs FILE`.',
    })
  }
  const secrets = new MemorySecretStore()
  for (const side of ['a', 'b'] as const) for (const field of SECRET_FIELDS) secrets.set(pairSecretId(pairId, side, field), '')
  const config = new ConfigService(secrets, dataDir)
  const side = role === 1 ? 'a' : 'b'
  return {
    pair: { pairId, role },
    image: (partition) => config.nvsImageBytes(pairId, side, partition.size),
    describe: (bytes) => config.readBackImage(bytes, pairId, side),
  }
}
