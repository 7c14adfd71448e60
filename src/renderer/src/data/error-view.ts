// What the page shows for an error: what happened and what to do, one sentence each,
// starting with a capital and ending with a full stop, and the hint left out when the
// message already says it.
import { PairKitError, type SerializedError } from '../../../common/errors'

export interface ErrorView {
  message: string
  hint?: string
}

/** Anything caught from a request or thrown in the page. */
export function errorView(caught: unknown): ErrorView {
  if (caught instanceof PairKitError) return composeErrorView(caught.message, caught.hint)
  return composeErrorView(caught instanceof Error ? caught.message : String(caught))
}

/** An error as it arrives inside a job state. */
export function serializedErrorView(error: SerializedError): ErrorView {
  return composeErrorView(error.message, error.hint)
}

export function composeErrorView(message: string, hint?: string): ErrorView {
  const shownMessage = asSentence(message)
  const shownHint = hint ? asSentence(hint) : undefined
  if (!shownHint || normalized(shownMessage).includes(normalized(shownHint).replace(/\.$/, ''))) return { message: shownMessage }
  return { message: shownMessage, hint: shownHint }
}

/** "the chip refused X" → "The chip refused X."; a leading path, address or name keeps its case. */
export function asSentence(text: string): string {
  const trimmed = text.trim()
  if (trimmed === '') return trimmed
  const startsWithWord = /^[a-z]+(?![\w:/.-])/.test(trimmed)
  const capital = startsWithWord ? trimmed.charAt(0).toUpperCase() + trimmed.slice(1) : trimmed
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`
}

function normalized(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ')
}
