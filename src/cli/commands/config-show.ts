import { readFile } from 'node:fs/promises'
import {
  CONFIG_FIELDS, REDACTED, URI_FIELDS, checkConfig, configFromNvsImage, diffConfig, formatConfig, formatConfigDiff, hasUrlPassword, maskUrlPassword, redactConfig,
  redactDifferences, type DeviceConfig,
} from '../../common/config'
import { PairKitError } from '../../common/errors'
import type { Command } from '../command'

export const configShowCommand: Command = {
  name: 'config show',
  summary: 'Show the bridge settings stored in an NVS image, and how they differ from what was intended.',
  usage: 'config show NVS.bin [--intended CONFIG.json] [--show-secrets] [--json]',
  help: `
Reads an NVS partition image (written by \`pairkit config pair\` or read back from a device)
and shows the settings the firmware will run with. Settings that are missing or unusable
are listed with the default the firmware falls back to. Passwords show as •••• (and a
password in the signalling URI as ***) unless --show-secrets. Exits 1 when something is
wrong or differs from --intended.

  --intended FILE  compare with this configuration (e.g. a.json from \`config pair\`);
                   passwords written there as •••• or *** are not compared
  --show-secrets   show passwords
  --json           print {"config","stored","problems","differences"} as one JSON line

Example: pairkit config show device-nvs.bin --intended pair/a.json`,
  options: { intended: { type: 'string' }, 'show-secrets': { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, out }) {
    const [input] = positionals as [string]
    const image = await readFile(input).catch((error: unknown) => {
      throw new PairKitError('NOT_FOUND', `cannot read ${input}: ${(error as Error).message}`)
    })
    const show = values['show-secrets'] === true
    const { config, stored, problems } = configFromNvsImage(new Uint8Array(image))
    const intended = typeof values.intended === 'string' ? await readIntended(values.intended, config) : undefined
    const differences = intended ? diffConfig(intended, config) : undefined
    out.result(
      {
        config: show ? config : redactConfig(config),
        stored,
        problems,
        ...(differences ? { differences: show ? differences : redactDifferences(differences) } : {}),
      },
      () => [formatConfig(config, { showSecrets: show }), ...(differences ? ['', formatConfigDiff(differences, { showSecrets: show })] : [])].join('\n'),
    )
    for (const problem of problems) out.warn(problem.message)
    return problems.some((problem) => problem.severity === 'error') || (differences?.length ?? 0) > 0 ? 1 : 0
  },
}

/** The intended configuration; secrets saved as •••• (or a URI saved with its password masked) take the device's value, so they are not compared. */
async function readIntended(file: string, actual: DeviceConfig): Promise<DeviceConfig> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new PairKitError('NOT_FOUND', `cannot read ${file}: ${(error as Error).message}`)
  })
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new PairKitError('BAD_INPUT', `${file} is not valid JSON (${(error as Error).message})`)
  }
  if (typeof parsed !== 'object' || parsed === null) throw new PairKitError('BAD_INPUT', `${file} must hold a configuration object`)
  const merged: Record<string, unknown> = { ...parsed }
  for (const spec of CONFIG_FIELDS) if (spec.secret && merged[spec.field] === REDACTED) merged[spec.field] = actual[spec.field]
  for (const field of URI_FIELDS) {
    const uri = merged[field]
    if (typeof uri === 'string' && hasUrlPassword(uri) && uri === maskUrlPassword(uri) && uri === maskUrlPassword(String(actual[field]))) merged[field] = actual[field]
  }
  const check = checkConfig(merged)
  if (!check.ok) throw new PairKitError('BAD_INPUT', `${file} is not a valid configuration: ${check.issues.map((issue) => issue.message).join('; ')}`)
  return check.config
}
