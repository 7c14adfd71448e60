// Flash contents for booting the twin: Espressif's fixture bootloader, partition table and
// app, and the app renamed (for example to serverless_mqtt) with its checksum and SHA-256 fixed.
import { readFileSync } from 'node:fs'
import path from 'node:path'

export { renamedApp } from '../../../unit/app-image/renamed-app'

const fixtures = path.resolve(__dirname, '../../../fixtures')
export const BOOTLOADER = readFileSync(path.join(fixtures, 'images/bootloader_esp32_v5_2.bin'))
export const TABLE = readFileSync(path.join(fixtures, 'partition-tables/partitions_singleapp.bin'))
export const APP = readFileSync(path.join(fixtures, 'images/hello-world-signed.bin'))
/** The "nvs" partition of partitions_singleapp.bin. */
export const NVS_OFFSET = 0x9000
