// Builds a commissioning's report from what the flow learnt: the devices' facts (their last
// probe), the pair's redacted configuration, each console's ICE model, the bridge test.
import type { CommissionReport, ReportDevice } from '../../common/commission/report'
import { REPORT_VERSION } from '../../common/commission/report'
import type { CommissionState } from '../../common/commission/steps'
import type { DeviceFacts, PairSummary } from '../../common/contract'
import type { Finding } from '../../common/diagnosis'
import type { IceDeviceModel } from '../../common/ice'
import type { CandidateTypeName } from '../../common/logs/events'
import type { BridgeTestResult } from '../../common/traffic/bridge-test-result'
import { maskUrlPassword } from '../../common/url-userinfo'

export interface ReportDeviceInput {
  deviceId: string
  facts: DeviceFacts | undefined
  flashed: boolean
  broker: string | undefined
  ice: IceDeviceModel
  findings: Finding[]
}

export interface ReportInput {
  reportId: string
  state: CommissionState
  bundle: { name: string; sha256: string }
  notes: string
  pair: PairSummary
  a: ReportDeviceInput
  b: ReportDeviceInput
  bridgeTest: BridgeTestResult | undefined
  now: number
}

export function buildCommissionReport(input: ReportInput): CommissionReport {
  const { state } = input
  const passed = state.steps.every((step) => step.id === 'report' || step.status === 'done' || step.status === 'skipped') && input.bridgeTest?.pass === true
  const aSession = input.a.ice.sessions.at(-1)
  const selected = aSession?.selected
  const typeOf = (endpoint: { address: string; port: number } | undefined, list: readonly { address: string; port: number; type: CandidateTypeName }[] | undefined) =>
    endpoint ? list?.find((candidate) => candidate.address === endpoint.address && candidate.port === endpoint.port)?.type : undefined
  const withType = (endpoint: { address: string; port: number }, type: CandidateTypeName | undefined) => ({ address: endpoint.address, port: endpoint.port, ...(type ? { type } : {}) })
  return {
    version: REPORT_VERSION,
    reportId: input.reportId,
    commissionId: state.commissionId,
    pairId: state.pairId,
    outcome: passed ? 'commissioned' : 'failed',
    startedAt: state.startedAt,
    endedAt: input.now,
    createdAt: input.now,
    notes: input.notes,
    bundle: input.bundle,
    devices: [reportDevice(1, input.a), reportDevice(2, input.b)],
    config: { a: input.pair.a, b: input.pair.b },
    ice: {
      selected: selected
        ? {
            ...(selected.local ? { local: withType(selected.local, typeOf(selected.local, aSession?.local)) } : {}),
            remote: withType(selected.remote, typeOf(selected.remote, aSession?.remote)),
          }
        : null,
      ...(selected ? {} : { note: 'neither console names the candidate pair the devices selected' }),
      pairs: aSession?.pairs.length ?? 0,
      candidateTypes: { a: candidateTypes(input.a.ice), b: candidateTypes(input.b.ice) },
    },
    bridgeTest: input.bridgeTest ?? null,
    steps: state.steps,
    findings: [...input.a.findings, ...input.b.findings],
  }
}

function reportDevice(role: 1 | 2, device: ReportDeviceInput): ReportDevice {
  const facts = device.facts
  const app = facts?.firmware
  return {
    role,
    deviceId: device.deviceId,
    ...(facts ? { chip: facts.chip } : {}),
    ...(facts?.probe.revision !== undefined ? { revision: facts.probe.revision } : {}),
    ...(facts?.mac ? { mac: facts.mac } : {}),
    ...(facts?.flashSize ? { flashSize: facts.flashSize } : {}),
    ...(app ? { firmware: { name: app.projectName, version: app.version, idfVersion: app.idfVersion, sha256: app.elfSha256 } } : {}),
    flashed: device.flashed,
    ...(device.broker ? { broker: maskUrlPassword(device.broker) } : {}),
  }
}

/** The types of the candidates the device offered in its latest session, each once. */
function candidateTypes(model: IceDeviceModel): CandidateTypeName[] {
  const session = model.sessions.at(-1)
  return [...new Set((session?.local ?? []).map((candidate) => candidate.type))]
}
