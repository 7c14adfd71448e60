/**
 * The renderer's Content-Security-Policy: only its own scripts and styles, no eval, no
 * remote content, no connections anywhere but its own origin. The Electron window talks
 * to the backend over IPC, so it needs no WebSocket. index.html carries the same policy
 * in a meta tag (less frame-ancestors, which a meta tag cannot set).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * The browser host's policy, sent as a header: the same, plus the one WebSocket address
 * the page needs, on the host the browser asked for (`127.0.0.1:PORT` or `localhost:PORT`,
 * already checked by the host). Named in full because not every browser lets 'self'
 * cover ws:.
 */
export function browserHostContentSecurityPolicy(host: string): string {
  return CONTENT_SECURITY_POLICY.replace("connect-src 'self'", `connect-src 'self' ws://${host}`)
}

const CSP_META_CONTENT = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/gi

/**
 * The page with its meta policy replaced by `policy` (less frame-ancestors, which a meta
 * tag cannot set). index.html's meta policy is the Electron window's, without the
 * WebSocket, and a page obeys every policy it is given, so the browser host puts its own.
 */
export function withMetaPolicy(html: string, policy: string): string {
  const metaPolicy = policy
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors'))
    .join('; ')
  return html.replace(CSP_META_CONTENT, (_match, start: string, end: string) => `${start}${metaPolicy}${end}`)
}
