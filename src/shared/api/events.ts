// Events pushed from the engine to the UI.
import type { JobEvent } from '../jobs';
import type { BackendReport, DeviceReport } from './app';

export type EngineEvent =
  | JobEvent
  | { type: 'backend'; backend: BackendReport }
  | { type: 'devices'; devices: DeviceReport[] };
