// The one transport shape both bridges (Electron preload, web socket) provide to the UI.
import type { EngineEvent } from './api/events';
import type { SerializedError } from './errors';

export type CallResult = { ok: true; value: unknown } | { ok: false; error: SerializedError };

export interface EngineBridge {
  /** How the UI reaches the engine. */
  readonly kind: 'electron' | 'web';
  invoke(method: string, args: unknown[]): Promise<CallResult>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Desktop only: starts dragging a MIDI file out of the window (into a DAW or the file manager). */
  startDrag?(fileName: string, midiBase64: string): void;
  /** Desktop only: the system's folder chooser; resolves to the chosen folder's path, or null if cancelled. */
  pickFolder?(title: string): Promise<string | null>;
}

/** Wire messages of the web bridge (WebSocket, JSON). */
export type WebRequest = { id: number; method: string; args: unknown[] };
export type WebMessage = { id: number; result: CallResult } | { event: EngineEvent };

/** The name under which the Electron preload exposes its bridge on window. */
export const BRIDGE_GLOBAL = 'deepSymphony';
export const IPC_INVOKE_CHANNEL = 'engine:invoke';
export const IPC_EVENT_CHANNEL = 'engine:event';
export const IPC_DRAG_CHANNEL = 'engine:drag-out';
export const IPC_PICK_FOLDER_CHANNEL = 'engine:pick-folder';
