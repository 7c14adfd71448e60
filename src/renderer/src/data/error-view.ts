import { PairKitError } from '../../../common/errors'

export interface ErrorView {
  message: string
  hint?: string
}

/** What the ErrorPanel shows for anything caught: the backend's message and hint. */
export function errorView(caught: unknown): ErrorView {
  if (caught instanceof PairKitError) return { message: caught.message, hint: caught.hint }
  return { message: caught instanceof Error ? caught.message : String(caught) }
}
