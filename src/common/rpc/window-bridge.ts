/** The IPC channel the preload and the Electron entry share; nothing else is allowed through. */
export const PAIRKIT_CHANNEL = 'pairkit:message'

/**
 * What the renderer finds as `window.pairkit`: a raw message pipe to the backend.
 * The preload provides it over Electron IPC; in a browser, the WebSocket client provides
 * the same object, so the rest of the renderer cannot tell the two apart.
 */
export interface PairKitBridge {
  send(message: unknown): void
  /** Subscribes to messages from the backend; returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void
}
