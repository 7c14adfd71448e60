// A bundle problem as the Flash view lists it: the part it concerns apart from the sentence,
// and the choice that resolves it when there is one in the page.
import type { BundleSummary } from '../../../common/contract'
import { asSentence } from './error-view'

type Problem = BundleSummary['problems'][number]

export interface ProblemView {
  severity: Problem['severity']
  part?: string
  text: string
  /** The offset to write as raw data, when the technician may choose to. */
  rawOffset?: number
  /** The chip is unknown: the page offers a choice. */
  needsChip: boolean
}

export function problemView(problem: Problem, bundle: BundleSummary): ProblemView {
  const prefix = problem.part ? `${problem.part}: ` : ''
  const text = prefix && problem.message.startsWith(prefix) ? problem.message.slice(prefix.length) : problem.message
  const rawOffset = problem.code === 'NOT_AN_APP_IMAGE' || problem.code === 'NOT_A_PARTITION_TABLE' ? bundle.parts.find((part) => part.name === problem.part)?.offset : undefined
  return {
    severity: problem.severity,
    ...(prefix && text !== problem.message ? { part: problem.part } : {}),
    text: asSentence(text),
    ...(rawOffset !== undefined ? { rawOffset } : {}),
    needsChip: problem.code === 'NO_CHIP',
  }
}
