// Masks the password of a URL's userinfo (mqtt://user:secret@host → mqtt://user:***@host), so a
// URL can be shown in logs and events. The rest of the text is kept exactly as given (no
// normalising through URL), and anything that is not a URL with an authority is returned as it is.

const SCHEME_AND_SLASHES = /^[a-z][a-z0-9+.-]*:\/\//i

export function maskUrlPassword(url: string): string {
  try {
    const scheme = SCHEME_AND_SLASHES.exec(url)
    if (!scheme) return url
    const start = scheme[0].length
    // The userinfo ends at the authority's last "@". A password may itself hold "@", "/", "?" or
    // "#" typed unencoded, so the last "@" of the whole URL is taken: where that "@" was in the
    // path instead, a little too much is masked, never too little.
    const at = url.lastIndexOf('@')
    if (at < start) return url
    const colon = url.indexOf(':', start)
    if (colon < 0 || colon > at) return url
    return `${url.slice(0, colon + 1)}***${url.slice(at)}`
  } catch {
    return url
  }
}
