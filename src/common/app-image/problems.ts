// What can be wrong with an image, one code per fault so programs can react and one
// sentence per fault so a technician can.
import { PairKitError } from '../errors'

export type ImageProblemCode =
  | 'TOO_MANY_SEGMENTS'
  | 'SEGMENT_PAST_END'
  | 'CHECKSUM_MISSING'
  | 'CHECKSUM_MISMATCH'
  | 'DIGEST_MISSING'
  | 'DIGEST_MISMATCH'
  | 'UNKNOWN_CHIP'
  | 'CHIP_MISMATCH'
  | 'CHIP_REVISION'

export interface ImageProblem {
  code: ImageProblemCode
  message: string
}

/** Problems that make the image unbootable (all but an unknown chip id, which may be a newer chip). */
export function isFatalImageProblem(problem: ImageProblem): boolean {
  return problem.code !== 'UNKNOWN_CHIP'
}

/** Throws the first fatal problem as a PairKitError; returns when there is none. */
export function throwIfImageInvalid(problems: readonly ImageProblem[], what = 'image'): void {
  const fatal = problems.find(isFatalImageProblem)
  if (!fatal) return
  throw new PairKitError(fatal.code === 'CHIP_MISMATCH' ? 'IMAGE_CHIP_MISMATCH' : 'BAD_INPUT', `${what}: ${fatal.message}`)
}
