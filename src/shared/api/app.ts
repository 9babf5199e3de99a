// App-wide methods: version, ML backend, devices.
import { z } from 'zod';
import { method } from './define';

export type BackendName = 'tensorflow' | 'tensorflow-gpu' | 'wasm' | 'cpu';

export interface BackendReport {
  /** The tfjs backend in use, e.g. "wasm"; undefined until the engine has chosen. */
  name: string | null;
  /** The label shown to the user: node-gpu, node, wasm or cpu. */
  label: 'node-gpu' | 'node' | 'wasm' | 'cpu' | 'none';
  /** Why each candidate before the chosen one was skipped. */
  skipped: { label: string; reason: string }[];
}

export interface DeviceReport {
  kind: 'myo' | 'jevois' | 'hid' | 'midi-out';
  available: boolean;
  detail: string;
}

export interface AppInfo {
  name: string;
  version: string;
  mode: 'electron' | 'web' | 'cli';
  backend: BackendReport;
  devices: DeviceReport[];
  /** The folder saved projects are kept in, for the Save dialog to say where. */
  projectsDir?: string;
}

export const appApi = {
  info: method(z.tuple([])).returns<AppInfo>(),
  /** Probes the live-control devices again. */
  devices: method(z.tuple([])).returns<DeviceReport[]>(),
  /** Echoes its argument back; the smallest round trip through the bridge. */
  echo: method(z.tuple([z.string().max(10_000)])).returns<string>(),
};
