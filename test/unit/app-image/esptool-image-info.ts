// Reads esptool's `image_info --version 2` text into fields, so tests compare our parser
// with esptool's own output field by field.

export interface EsptoolImageInfo {
  fileSize: number
  entryPoint: number
  segmentCount: number
  flashSize: string
  flashFreq: string
  flashMode: string
  wpPin: number
  pinDrive: Record<string, number>
  chipId: number
  minRev: string
  legacyMinRev: number
  maxRev: string
  segments: { index: number; length: number; loadAddress: number; fileOffset: number; memoryTypes: string[] }[]
  checksum: { value: number; valid: boolean }
  hash?: { value: string; valid: boolean }
  app?: { projectName: string; version: string; compileTime: string; elfSha256: string; idf: string; minEfuse: string; maxEfuse: string; secureVersion: number }
  bootloader?: { version: number; idf: string; compileTime: string }
}

export function parseEsptoolImageInfo(text: string): EsptoolImageInfo {
  const field = (label: string): string => {
    const match = text.match(new RegExp(`^${label}: (.*)$`, 'm'))
    if (!match) throw new Error(`no "${label}" line`)
    return (match[1] as string).trim()
  }
  const optional = (label: string) => (new RegExp(`^${label}: `, 'm').test(text) ? field(label) : undefined)
  const rev = field('Minimal chip revision').match(/^(v[\d.]+), \(legacy min_rev = (\d+)\)$/)
  if (!rev) throw new Error('bad chip revision line')
  const drive: Record<string, number> = {}
  for (const [, name, value] of field('Flash pins drive settings').matchAll(/(\w+)_drv: (0x[0-9a-f]+)/g)) drive[name as string] = Number(value)
  const segments = [...text.matchAll(/^\s+(\d+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(.*)$/gm)].map((m) => ({
    index: Number(m[1]),
    length: Number(m[2]),
    loadAddress: Number(m[3]),
    fileOffset: Number(m[4]),
    memoryTypes: (m[5] as string).split(',').map((s) => s.trim()),
  }))
  const checksum = field('Checksum').match(/^(0x[0-9a-f]+) \((\w+)\)$/)
  const hash = optional('Validation hash')?.match(/^([0-9a-f]{64}) \((\w+)\)$/)
  const info: EsptoolImageInfo = {
    fileSize: Number(field('File size').replace(/ \(bytes\)/, '')),
    entryPoint: Number(field('Entry point')),
    segmentCount: Number(field('Segments')),
    flashSize: field('Flash size'),
    flashFreq: field('Flash freq'),
    flashMode: field('Flash mode'),
    wpPin: Number(field('WP pin').split(' ')[0]),
    pinDrive: drive,
    chipId: Number(field('Chip ID').split(' ')[0]),
    minRev: rev[1] as string,
    legacyMinRev: Number(rev[2]),
    maxRev: field('Maximal chip revision'),
    segments,
    checksum: { value: Number(checksum?.[1]), valid: checksum?.[2] === 'valid' },
  }
  if (hash) info.hash = { value: hash[1] as string, valid: hash[2] === 'valid' }
  if (optional('Project name') !== undefined) {
    info.app = {
      projectName: field('Project name'),
      version: field('App version'),
      compileTime: field('Compile time'),
      elfSha256: field('ELF file SHA256'),
      idf: field('ESP-IDF'),
      minEfuse: field('Minimal eFuse block revision'),
      maxEfuse: field('Maximal eFuse block revision'),
      secureVersion: Number(field('Secure version')),
    }
  }
  if (optional('Bootloader version') !== undefined) {
    info.bootloader = { version: Number(field('Bootloader version')), idf: field('ESP-IDF'), compileTime: field('Compile time') }
  }
  return info
}
