// What `pairkit commission` runs once its options are checked (loaded inside `run`, so the
// help and option errors load no service): the pair's passwords, the bundle, the flow, and
// one line (or JSON object) per step change.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { bundleSha256 } from '../../common/bundle'
import { STEP_LABELS, type CommissionState, type CommissionStep } from '../../common/commission/steps'
import { configRequests } from '../../common/contract/config'
import { SECRET_FIELDS } from '../../common/config'
import { PairKitError } from '../../common/errors'
import { loadBundle } from '../../main/bundle'
import { createCommissionRuntime } from '../../main/commission/commission-runtime'
import { RECORDS_FOLDER } from '../../main/commission/commission-store'
import { MemorySecretStore } from '../../main/secrets/secret-store'
import { pairSecretId } from '../../main/services/config-service'
import { readPairRecords } from '../../main/services/pair-records'
import { resolveDataDir } from '../../main/state/data-dir'
import type { Output } from '../output'

export interface CommissionRunOptions {
  a: string
  b: string
  bundlePath: string
  pairId: string
  siteAMqtt?: string
  siteBMqtt?: string
  notes?: string
  outDir?: string
  dataDir?: string
  passwordsFile?: string
}

const PasswordsSchema = configRequests['config.setPasswords'].input.omit({ pairId: true })

export async function runCommission(options: CommissionRunOptions, out: Output, signal: AbortSignal): Promise<number> {
  const dataDir = resolveDataDir(options.dataDir)
  const record = readPairRecords(dataDir).find((candidate) => candidate.pairId === options.pairId)
  if (!record) {
    throw new PairKitError('NOT_FOUND', `PairKit's data folder ${dataDir} has no pair ${options.pairId}`, { hint: 'Check the pair id in Configure, or give the app\'s data folder with --data-dir.' })
  }
  const secrets = new MemorySecretStore()
  const passwords = options.passwordsFile ? await readPasswords(options.passwordsFile) : undefined
  if (!passwords) {
    if (record.secrets === undefined || record.secrets.length > 0) {
      throw new PairKitError('UNAVAILABLE', `pair ${options.pairId} has passwords, which the PairKit app keeps where this command cannot read them; nothing was written`, {
        hint: 'Give them with --passwords-file FILE (JSON: {"a":{"staPassword":…,"apPassword":…},"b":{…}}).',
      })
    }
    for (const side of ['a', 'b'] as const) for (const field of SECRET_FIELDS) secrets.set(pairSecretId(options.pairId, side, field), '')
  }
  const bundle = await loadBundle([options.bundlePath])
  const runtime = createCommissionRuntime({ dataDir, secrets })
  try {
    if (passwords) runtime.config.setPasswords({ pairId: options.pairId, ...passwords })
    let previous: CommissionStep[] = []
    runtime.service.onState((state) => {
      for (const step of state.steps) {
        const before = previous.find((candidate) => candidate.id === step.id)
        if (before && before.status === step.status && before.attempts === step.attempts) continue
        if (!before && step.status === 'pending') continue
        printStep(out, state, step)
      }
      previous = state.steps
    })
    const commissionId = runtime.service.start({
      a: options.a,
      b: options.b,
      pairId: options.pairId,
      bundle,
      bundleInfo: { name: bundle.source, sha256: bundleSha256(bundle) },
      ...(options.siteAMqtt ? { siteAMqtt: options.siteAMqtt } : {}),
      ...(options.siteBMqtt ? { siteBMqtt: options.siteBMqtt } : {}),
      ...(options.notes !== undefined ? { notes: options.notes } : {}),
      ...(options.outDir ? { outDir: path.resolve(options.outDir) } : {}),
    })
    const onAbort = () => runtime.service.cancel(commissionId)
    signal.addEventListener('abort', onAbort, { once: true })
    const state = await runtime.service.wait(commissionId).finally(() => signal.removeEventListener('abort', onAbort))
    const files = runtime.service.files(commissionId)
    const report = state.status === 'done' ? runtime.service.report(commissionId).report : undefined
    const commissioned = report?.outcome === 'commissioned'
    const failed = state.steps.find((step) => step.status === 'failed')
    out.result(
      {
        type: 'result',
        commissionId,
        pairId: state.pairId,
        status: state.status,
        commissioned,
        bridgeTestPassed: report?.bridgeTest?.pass ?? false,
        ...(files ? { files } : {}),
        ...(failed ? { failedStep: failed.id, error: failed.error, findings: failed.findings ?? [] } : {}),
      },
      () =>
        commissioned
          ? `Pair ${state.pairId} is commissioned. Report: ${files?.html ?? `${dataDir}/${RECORDS_FOLDER}`}${files ? `\nSupport bundle: ${files.supportBundle}` : ''}`
          : `Pair ${state.pairId} is not commissioned${failed ? `: "${STEP_LABELS[failed.id]}" failed` : ` (${state.status})`}. Resume it in the PairKit app (commissioning ${commissionId}).`,
    )
    return commissioned ? 0 : 1
  } finally {
    await runtime.dispose()
  }
}

function printStep(out: Output, state: CommissionState, step: CommissionStep): void {
  out.result({ type: 'step', commissionId: state.commissionId, ...step }, () => {
    const mark = { pending: '·', running: '…', done: '✓', failed: '✗', skipped: '–' }[step.status]
    const lines = [`${mark} ${STEP_LABELS[step.id]}${step.detail ? `: ${step.detail}` : ''}`]
    if (step.error) lines.push(`  ${step.error.message}`, ...(step.error.hint ? [`  What to do: ${step.error.hint}`] : []))
    for (const finding of step.findings ?? []) lines.push(`  ${finding.severity} (${finding.device ?? 'pair'}): ${finding.title}. ${finding.action}`)
    return lines.join('\n')
  })
}

async function readPasswords(file: string): Promise<Omit<import('../../common/contract').RequestInput<'config.setPasswords'>, 'pairId'>> {
  let json: unknown
  try {
    json = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw new PairKitError('BAD_INPUT', `${file} cannot be read as JSON (${error instanceof Error ? error.message : String(error)})`, { hint: 'Give a JSON file like {"a":{"staPassword":"…","apPassword":"…"},"b":{…}}.' })
  }
  const parsed = PasswordsSchema.safeParse(json)
  if (!parsed.success) {
    throw new PairKitError('BAD_INPUT', `${file} does not hold the pair's passwords: ${parsed.error.issues[0]?.message ?? 'unexpected content'}`, { hint: 'Give a JSON file like {"a":{"staPassword":"…","apPassword":"…"},"b":{…}}.' })
  }
  return parsed.data
}
