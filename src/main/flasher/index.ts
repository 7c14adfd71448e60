// The flasher: serial bootloader client, operations and the per-port job service.
export { FlasherService, type FlasherRequest } from './flasher-service'
export { probe, flash, erase, readFlashRange, type ProbeResult, type FlashOptions, type JobReporter } from './operations'
export { Session, DEFAULT_FLASH_BAUD, ROM_BAUD } from './session'
