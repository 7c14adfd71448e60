// Chip knowledge, one door: the registry (one frozen definition per chip), detection, and
// the eFuse helpers the twin shares. Detection, the flasher, image and bundle checks and the
// twin all read chips from here.
export type { ChipDef, ChipIdentity, ChipName, CrystalReading, MemoryRegion, ReadReg, SpiRegisters, TwinProfile, WatchdogRegisters } from './chip-def'
export { efuseWordsFromMac, formatMac, macFromEfuseWords } from './efuse'
export * from './registry'
export * from './detect'
