import type { ConfigField, DeviceConfig } from '../../common/config'
import { hasUrlPassword, maskUrlPassword, URI_FIELDS } from '../../common/config/redact'
import { PairKitError } from '../../common/errors'
import { readInputFile } from '../../main/bundle/read-input-file'
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
    const image = await readInputFile(input)
    const show = values['show-secrets'] === true
    const { configFromNvsImage, diffConfig, formatConfig, formatConfigDiff, redactConfig, redactDifferences, CONFIG_FIELDS, REDACTED } = await import('../../common/config')
    const { config, stored, problems } = configFromNvsImage(image)
    const intended = typeof values.intended === 'string' ? await readIntended(values.intended, config) : undefined
    const differences = intended ? diffConfig(intended.config, config) : undefined
    for (const field of intended?.secretsMissing ?? []) {
      const label = CONFIG_FIELDS.find((spec) => spec.field === field)?.label ?? field
      out.warn(`${input} holds no ${label}, but ${String(values.intended)} expects one (saved as ${REDACTED}): provision the device again, e.g. with \`pairkit config pair\``)
    }
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

/** Stands in for a password saved as •••• while the intended file is checked: every password rule accepts it. */
const SECRET_STAND_IN = 'stand-in-password'

/**
 * The intended configuration. Secrets saved as •••• (or a URI saved with its password masked)
 * take the device's value, so they are not compared; where the device holds none, the intended
 * file is checked with a stand-in (the file is not at fault) and the secret is reported missing
 * from the image.
 */
async function readIntended(file: string, actual: DeviceConfig): Promise<{ config: DeviceConfig; secretsMissing: ConfigField[] }> {
  const text = new TextDecoder().decode(await readInputFile(file))
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new PairKitError('BAD_INPUT', `${file} is not valid JSON (${(error as Error).message})`)
  }
  if (typeof parsed !== 'object' || parsed === null) throw new PairKitError('BAD_INPUT', `${file} must hold a configuration object`)
  const { CONFIG_FIELDS, REDACTED, checkConfig } = await import('../../common/config')
  const merged: Record<string, unknown> = { ...parsed }
  const secretsMissing: ConfigField[] = []
  for (const spec of CONFIG_FIELDS) {
    if (!spec.secret || merged[spec.field] !== REDACTED) continue
    if (actual[spec.field] === '') secretsMissing.push(spec.field)
    merged[spec.field] = actual[spec.field] === '' ? SECRET_STAND_IN : actual[spec.field]
  }
  for (const field of URI_FIELDS) {
    const uri = merged[field]
    if (typeof uri === 'string' && hasUrlPassword(uri) && uri === maskUrlPassword(uri) && uri === maskUrlPassword(String(actual[field]))) merged[field] = actual[field]
  }
  const check = checkConfig(merged)
  if (!check.ok) throw new PairKitError('BAD_INPUT', `${file} is not a valid configuration: ${check.issues.map((issue) => issue.message).join('; ')}`)
  // Compared as "set" against the device's nothing: a difference, shown hidden.
  const config = { ...check.config, ...Object.fromEntries(secretsMissing.map((field) => [field, REDACTED])) } as DeviceConfig
  return { config, secretsMissing }
}
