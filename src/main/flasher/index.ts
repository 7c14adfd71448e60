// The flasher: serial bootloader client, operations and the per-port job service.
export type { ProbeResult } from '../../common/flasher/probe-result'
export { FlasherService, type FlasherRequest } from './flasher-service'
export { probe, flash, erase, readFlashRange, type FlashOptions, type JobReporter } from './operations'
export { Session, DEFAULT_FLASH_BAUD, ROM_BAUD } from './session'
