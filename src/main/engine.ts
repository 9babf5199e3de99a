// The engine: everything the UI (Electron or web) and the CLI drive, with no transport in it.
import type { AppInfo, BackendReport, DeviceReport } from '../shared/api/app';
import type { EngineEvent } from '../shared/api/events';
import { probeDevices } from './hardware/probe';
import { JobManager } from './jobs/manager';
import { selectBackend } from './ml/backend';
import { defaultPaths, type StudioPaths } from './paths';
import { version } from './version';

export type EngineListener = (event: EngineEvent) => void;

export interface EngineOptions {
  mode: AppInfo['mode'];
  paths?: Partial<StudioPaths>;
}

export class Engine {
  readonly jobs = new JobManager();
  readonly paths: StudioPaths;
  readonly mode: AppInfo['mode'];
  readonly version = version;
  private readonly listeners = new Set<EngineListener>();
  private backend: BackendReport = { name: null, label: 'none', skipped: [] };
  private readonly backendReady: Promise<BackendReport>;

  constructor(options: EngineOptions) {
    this.mode = options.mode;
    this.paths = { ...defaultPaths(), ...options.paths };
    this.jobs.onChange((job, data) => this.emit(data === undefined ? { type: 'job', job } : { type: 'job', job, data }));
    this.backendReady = selectBackend().then((b) => {
      this.backend = b;
      this.emit({ type: 'backend', backend: b });
      return b;
    });
  }

  private devices: Promise<DeviceReport[]> | undefined;

  /** Probes the live-control devices (once, or again with refresh) and tells the UI. */
  async listDevices(refresh = false): Promise<DeviceReport[]> {
    if (refresh || !this.devices) {
      this.devices = probeDevices();
      const devices = await this.devices;
      this.emit({ type: 'devices', devices });
    }
    return this.devices;
  }

  /** Resolves once the ML backend has been chosen. */
  ready(): Promise<BackendReport> {
    return this.backendReady;
  }

  currentBackend(): BackendReport {
    return this.backend;
  }

  on(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const l of this.listeners) l(event);
  }

  async dispose(): Promise<void> {
    await this.jobs.dispose();
    this.listeners.clear();
  }
}
