// A Guru Meditation record in ESP-IDF's format (Xtensa chips print a Backtrace line; RISC-V
// chips print MEPC/RA and a stack dump). Register values are fixed, plausible addresses:
// the twin runs no code, so there is nothing real to dump.
import type { TwinChipDef } from '../../common/esp/chips'

export function guruMeditation(chip: TwinChipDef, elfSha256: string | undefined): string[] {
  const sha = elfSha256 ? elfSha256.slice(0, 16) : '0000000000000000'
  if (chip.name === 'esp32c3') {
    return [
      "Guru Meditation Error: Core  0 panic'ed (Load access fault). Exception was unhandled.",
      '',
      'Core  0 register dump:',
      'MEPC    : 0x4200a1b2  RA      : 0x4200a1a8  SP      : 0x3fc98e40  GP      : 0x3fc8e600  ',
      'TP      : 0x3fc98f30  T0      : 0x40057fa6  T1      : 0x0000000f  T2      : 0x00000000  ',
      'MSTATUS : 0x00001881  MTVEC   : 0x40380001  MCAUSE  : 0x00000005  MTVAL   : 0x00000000  ',
      '',
      `ELF file SHA256: ${sha}`,
      '',
      'Rebooting...',
    ]
  }
  return [
    "Guru Meditation Error: Core  0 panic'ed (LoadProhibited). Exception was unhandled.",
    '',
    'Core  0 register dump:',
    'PC      : 0x400d2f3e  PS      : 0x00060630  A0      : 0x800d2f64  A1      : 0x3ffb5e60  ',
    'A2      : 0x00000000  A3      : 0x00000001  A4      : 0x3ffb5e90  A5      : 0x00000000  ',
    'EXCVADDR: 0x00000000  LBEG    : 0x400014fd  LEND    : 0x4000150d  LCOUNT  : 0xffffffff  ',
    '',
    '',
    'Backtrace: 0x400d2f3b:0x3ffb5e60 0x400d2f61:0x3ffb5e90 0x400d8a2e:0x3ffb5ec0 0x40088f2d:0x3ffb5ee0',
    '',
    '',
    '',
    '',
    `ELF file SHA256: ${sha}`,
    '',
    'Rebooting...',
  ]
}
