// Ambient types for the renderer: Svelte, Vite, and what the Electron preload puts on window.
/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { EngineBridge } from '../../shared/bridge';

declare global {
  interface Window {
    deepSymphony?: EngineBridge;
  }
}
