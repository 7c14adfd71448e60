// What a flash wrote on a device, in the technician's words: which parts it already held and
// how much of the others went over the wire ("Bootloader unchanged, app: 3 of 256 blocks
// written."). The flasher compares every part with the device block by block (4 KiB) first.

interface WrittenPart {
  name: string
  blocks: number
  written: number
}

/** The build's names as a technician says them; a file or partition name stays as it is. */
const SPOKEN: Record<string, string> = { bootloader: 'bootloader', 'partition-table': 'partition table', app: 'app', otadata: 'OTA data' }

function spokenName(name: unknown, offset: number): string {
  if (typeof name !== 'string' || name === '') return `the part at 0x${offset.toString(16)}`
  return SPOKEN[name] ?? name
}

/** "bootloader, partition table and app". */
function listed(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`
}

function blocks(count: number): string {
  return `${count} block${count === 1 ? '' : 's'}`
}

/** The parts of a done flash job's result; undefined when it does not say what it wrote. */
function writtenParts(result: unknown): WrittenPart[] | undefined {
  if (typeof result !== 'object' || result === null) return undefined
  const regions = (result as { regions?: unknown }).regions
  if (!Array.isArray(regions) || regions.length === 0) return undefined
  const parts: WrittenPart[] = []
  for (const region of regions as unknown[]) {
    const { offset, name, blocks: count, written } = (region ?? {}) as Record<string, unknown>
    if (typeof offset !== 'number' || typeof count !== 'number' || typeof written !== 'number') return undefined
    parts.push({ name: spokenName(name, offset), blocks: count, written })
  }
  return parts
}

/**
 * One sentence for a finished flash job: "Nothing written: bootloader, partition table and app
 * were already on the device.", "Everything written: bootloader, partition table and app (262
 * blocks).", or per part "Bootloader unchanged, app: 3 of 256 blocks written.". Undefined when
 * the result does not say.
 */
export function writtenSummary(result: unknown): string | undefined {
  const parts = writtenParts(result)
  if (!parts) return undefined
  const names = listed(parts.map((part) => part.name))
  if (parts.every((part) => part.written === 0)) return `Nothing written: ${names} ${parts.length === 1 ? 'was' : 'were'} already on the device.`
  if (parts.every((part) => part.written === part.blocks)) return `Everything written: ${names} (${blocks(parts.reduce((sum, part) => sum + part.blocks, 0))}).`
  const each = parts.map((part) => {
    if (part.written === 0) return `${part.name} unchanged`
    if (part.written === part.blocks) return `${part.name}: all ${blocks(part.blocks)} written`
    return `${part.name}: ${part.written} of ${blocks(part.blocks)} written`
  })
  return `${capitalised(each.join(', '))}.`
}
