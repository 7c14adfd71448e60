// A commissioning report as the flow writes one, for the report tests.
import { redactConfig } from '../../../src/common/config'
import { defaultConfig, type DeviceConfig } from '../../../src/common/config/contract'
import type { CommissionReport } from '../../../src/common/commission/report'
import { initialSteps } from '../../../src/common/commission/steps'

/** Distinctive secrets: none may appear in anything written from the report. */
export const SECRETS = { sta: 'Sta-Unit-Secret-91', ap: 'Ap-Unit-Secret-92', turn: 'Turn-Unit-Secret-93', broker: 'Broker-Unit-Secret-94' }

export function pairConfig(role: 1 | 2): DeviceConfig {
  return {
    ...defaultConfig(),
    role,
    pairId: 'a1b2c3d4e5f60708',
    staPassword: SECRETS.sta,
    apPassword: SECRETS.ap,
    turnHost: 'turn.example.net',
    turnUser: 'tech',
    turnPassword: SECRETS.turn,
    signallingUri: `mqtt://tech:${SECRETS.broker}@broker.example.net:1883`,
  }
}

export function sampleReport(overrides: Partial<CommissionReport> = {}): CommissionReport {
  return {
    version: 1,
    reportId: 'r-1',
    commissionId: 'com-1',
    pairId: 'a1b2c3d4e5f60708',
    outcome: 'commissioned',
    startedAt: 1_700_000_000_000,
    endedAt: 1_700_000_060_000,
    createdAt: 1_700_000_060_000,
    notes: '',
    bundle: { name: 'build folder .', sha256: 'ab'.repeat(32) },
    devices: [
      { role: 1, deviceId: '/dev/ttyUSB0', chip: 'esp32', revision: 301, mac: 'aa:bb:cc:dd:ee:01', flashSize: 4 << 20, firmware: { name: 'serverless_mqtt', version: '1.0', sha256: 'cd'.repeat(32) }, flashed: true },
      { role: 2, deviceId: '/dev/ttyUSB1', chip: 'esp32', flashed: false },
    ],
    config: { a: redactConfig(pairConfig(1)), b: redactConfig(pairConfig(2)) },
    ice: { selected: { local: { address: '192.168.1.5', port: 50000, type: 'host' }, remote: { address: '203.0.113.7', port: 41000, type: 'srflx' } }, pairs: 2, candidateTypes: { a: ['host', 'srflx'], b: ['host'] } },
    bridgeTest: null,
    steps: initialSteps().map((step) => ({ ...step, status: 'done', startedAt: 1_700_000_000_000, endedAt: 1_700_000_001_000, attempts: 1 })),
    findings: [],
    ...overrides,
  }
}
