import type { Event } from '../event'

/**
 * The only thing a transport must provide: send a message, and hear messages.
 * Messages are structured-cloneable values (JSON-compatible); a transport that
 * needs text (WebSocket) serialises them itself.
 */
export interface MessageProtocol {
  send(message: unknown): void
  readonly onMessage: Event<unknown>
  /** Bytes handed to send() that have not left yet (a WebSocket's bufferedAmount); absent when unknown. */
  backlogBytes?(): number
}
