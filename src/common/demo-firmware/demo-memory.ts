// Where the demo firmware's segments load, per chip the twin emulates: addresses inside each
// chip's memory map (the chip registry), in the regions ESP-IDF's linker scripts use, so
// every parser names them as it names a real build's (DROM, IROM, DRAM, IRAM).
import type { ChipName } from '../esp/chips'

export interface DemoMemory {
  bootloader: { dram: number; iram: number }
  /** drom and irom are the starts of 64 KiB MMU pages; the image places its data to match. */
  app: { drom: number; irom: number; dram: number; iram: number }
  /** Revisions the images accept (major × 100 + minor), as ESP-IDF's defaults for the chip. */
  maxRevFull: number
}

const MEMORY: Partial<Record<ChipName, DemoMemory>> = {
  esp32: {
    bootloader: { dram: 0x3fff0030, iram: 0x40080400 },
    app: { drom: 0x3f400000, irom: 0x400d0000, dram: 0x3ffb0000, iram: 0x40080000 },
    maxRevFull: 399,
  },
  esp32s3: {
    bootloader: { dram: 0x3fce2810, iram: 0x403c8700 },
    app: { drom: 0x3c000000, irom: 0x42000000, dram: 0x3fc92000, iram: 0x40374000 },
    maxRevFull: 99,
  },
  esp32c3: {
    bootloader: { dram: 0x3fcd5820, iram: 0x403cc710 },
    app: { drom: 0x3c000000, irom: 0x42000000, dram: 0x3fc8a000, iram: 0x40380000 },
    maxRevFull: 199,
  },
}

/** The chips the demo firmware is made for: those the twin emulates. */
export const DEMO_CHIPS = Object.keys(MEMORY) as ChipName[]

export function demoMemory(chip: string): DemoMemory | undefined {
  return Object.hasOwn(MEMORY, chip) ? MEMORY[chip as ChipName] : undefined
}
