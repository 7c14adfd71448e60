// --raw OFFSET, shared by `bundle inspect` and `flash`: the technician's explicit word that
// the part at OFFSET is data to write as it is, where an app or the partition table belongs.
import { markRawParts, parseFlashOffset, sortedParts, type Bundle, type BundleProblem } from '../../common/bundle'
import { hex } from '../../common/hex'
import { UsageError } from '../command'

export const RAW_OPTION = { raw: { type: 'string', multiple: true } } as const

/** The offsets given with --raw; a usage error for anything that is not a flash offset. */
export function rawOffsetsFrom(values: Record<string, unknown>): number[] {
  const given = Array.isArray(values.raw) ? values.raw.map(String) : []
  return given.map((text) => {
    const offset = parseFlashOffset(text)
    if (offset === undefined) throw new UsageError(`--raw ${text} is not a flash offset: give the part's offset, e.g. --raw 0x10000`)
    return offset
  })
}

/** Marks the parts at the --raw offsets; a usage error for an offset where the bundle has no part. */
export function applyRawOffsets(bundle: Bundle, offsets: readonly number[]): void {
  const missing = markRawParts(bundle, offsets)
  if (missing.length === 0) return
  const at = sortedParts(bundle.parts).map((part) => hex(part.offset)).join(', ')
  throw new UsageError(`--raw ${hex(missing[0] as number)} names no part of the firmware${at ? ` (its parts are at ${at})` : ''}`)
}

/** A bundle problem as the CLI says it: with the flag that does what the problem suggests. */
export function describeForCli(problem: BundleProblem, bundle: Bundle): string {
  const offset = bundle.parts.find((part) => part.name === problem.part)?.offset
  if ((problem.code === 'NOT_AN_APP_IMAGE' || problem.code === 'NOT_A_PARTITION_TABLE') && offset !== undefined) return `${problem.message} with --raw ${hex(offset)}`
  if (problem.code === 'NO_CHIP' && problem.message === 'the target chip is unknown') return `${problem.message}: give it with --chip`
  return problem.message
}
