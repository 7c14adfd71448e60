// Exposes one narrow pipe as window.pairkit; every message is validated on the other side.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { PAIRKIT_CHANNEL, type PairKitBridge } from '../common/rpc/window-bridge'

const bridge: PairKitBridge = {
  send(message) {
    ipcRenderer.send(PAIRKIT_CHANNEL, message)
  },
  onMessage(listener) {
    const wrapped = (_event: IpcRendererEvent, message: unknown) => listener(message)
    ipcRenderer.on(PAIRKIT_CHANNEL, wrapped)
    return () => void ipcRenderer.removeListener(PAIRKIT_CHANNEL, wrapped)
  },
}

contextBridge.exposeInMainWorld('pairkit', bridge)
