/**
 * The renderer's Content-Security-Policy: only its own scripts and styles, no eval,
 * no remote content; connections only back to its own host (the browser host's WebSocket).
 * index.html carries the same policy in a meta tag for the browser host.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:*",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')
