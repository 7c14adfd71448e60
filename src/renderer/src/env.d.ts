/// <reference types="vite/client" />
import type { PairKitBridge } from '../../common/rpc/window-bridge'

declare global {
  interface Window {
    /** Present inside Electron (from the preload); installed by the WebSocket client in a browser. */
    pairkit?: PairKitBridge
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
