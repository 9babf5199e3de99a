// Events pushed from the engine to the UI.
import type { JobStatus } from '../jobs';
import type { BackendReport, DeviceReport } from './app';

export type EngineEvent =
  | { type: 'job'; job: JobStatus; data?: unknown }
  | { type: 'backend'; backend: BackendReport }
  | { type: 'devices'; devices: DeviceReport[] };
