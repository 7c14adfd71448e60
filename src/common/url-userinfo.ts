// Masks the password of a URL's userinfo (mqtt://user:secret@host → mqtt://user:***@host), so a
// URL can be shown in logs and events. The rest of the text is kept exactly as given (no
// normalising through URL), and anything that is not a URL with an authority is returned as it is.

const SCHEME_AND_SLASHES = /^[a-z][a-z0-9+.-]*:\/\//i

/** What replaces the password (`mqtt://user:***@host`). */
export const MASKED_URL_PASSWORD = '***'

/** Where the userinfo's password starts and ends (the "@"), or undefined when the URL has none. */
function passwordSpan(url: string): { colon: number; at: number } | undefined {
  if (typeof url !== 'string') return undefined
  const scheme = SCHEME_AND_SLASHES.exec(url)
  if (!scheme) return undefined
  const start = scheme[0].length
  // The userinfo ends at the authority's last "@". A password may itself hold "@", "/", "?" or
  // "#" typed unencoded, so the last "@" of the whole URL is taken: where that "@" was in the
  // path instead, a little too much is masked, never too little.
  const at = url.lastIndexOf('@')
  if (at < start) return undefined
  const colon = url.indexOf(':', start)
  if (colon < 0 || colon > at) return undefined
  return { colon, at }
}

/** Whether the URL carries a password in its userinfo (an empty one counts: "user:@host"). */
export function hasUrlPassword(url: string): boolean {
  return passwordSpan(url) !== undefined
}

/** The URL with its userinfo's password replaced by "***", the user and the rest kept; never throws. */
export function maskUrlPassword(url: string): string {
  const span = passwordSpan(url)
  return span ? `${url.slice(0, span.colon + 1)}${MASKED_URL_PASSWORD}${url.slice(span.at)}` : url
}
