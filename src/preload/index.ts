// The typed bridge between the sandboxed renderer and the engine: an invoke channel, an event channel, MIDI drag-out and the folder chooser.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EngineEvent } from '../shared/api/events';
import { BRIDGE_GLOBAL, IPC_DRAG_CHANNEL, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_PICK_FOLDER_CHANNEL, type CallResult, type EngineBridge } from '../shared/bridge';

const bridge: EngineBridge = {
  kind: 'electron',
  invoke: (method, args) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, args) as Promise<CallResult>,
  onEvent(listener) {
    const wrapped = (_e: IpcRendererEvent, event: EngineEvent) => listener(event);
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
  },
  startDrag: (fileName, midiBase64) => ipcRenderer.send(IPC_DRAG_CHANNEL, fileName, midiBase64),
  pickFolder: (title) => ipcRenderer.invoke(IPC_PICK_FOLDER_CHANNEL, title) as Promise<string | null>,
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
