// What a technician types into a "remote port" box, checked before anything is sent: the
// same parser the backend opens links with, and only network ports (local ones are listed).
import { PairKitError } from '../../../common/errors'
import { parsePortUrl } from '../../../common/port-url'
import { errorView, type ErrorView } from './error-view'

/** The trimmed address, or why it cannot be used. */
export function checkRemotePort(text: string): { address: string } | { error: ErrorView } {
  const address = text.trim()
  try {
    if (parsePortUrl(address).kind === 'local') {
      throw new PairKitError('BAD_INPUT', `${address} is not a network port address`, {
        hint: 'Use socket://HOST:PORT or rfc2217://HOST:PORT (e.g. rfc2217://192.168.1.20:4000); ports on this computer are listed above.',
      })
    }
    return { address }
  } catch (caught) {
    return { error: errorView(caught) }
  }
}
