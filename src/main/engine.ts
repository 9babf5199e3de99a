// The engine: everything the UI (Electron or web) and the CLI drive, with no transport in it.
import type { AppInfo, BackendReport, DeviceReport } from '../shared/api/app';
import type { EngineEvent } from '../shared/api/events';
import type { JobEvent } from '../shared/jobs';
import { probeDevices } from './hardware/probe';
import { JobManager } from './jobs/manager';
import { selectBackend } from './ml/backend';
import { ModelHost } from './ml/host/modelHost';
import { DEFAULT_MODEL_ID, resolveModel } from './ml/registry';
import { defaultPaths, type StudioPaths } from './paths';
import { version } from './version';

export type EngineListener = (event: EngineEvent) => void;

export interface EngineOptions {
  mode: AppInfo['mode'];
  paths?: Partial<StudioPaths>;
  /**
   * Start the model worker and load the default model at once, so that the first generation finds them warm
   * (default: on in the app and web mode, off in the CLI and tests).
   */
  prewarm?: boolean;
}

export class Engine {
  readonly jobs = new JobManager();
  /** The long-lived model worker: generations, sessions, file import and plagiarism scores run there. */
  readonly host: ModelHost;
  readonly paths: StudioPaths;
  readonly mode: AppInfo['mode'];
  readonly version = version;
  private readonly listeners = new Set<EngineListener>();
  private backend: BackendReport = { name: null, label: 'none', skipped: [] };
  private readonly backendReady: Promise<BackendReport>;

  constructor(options: EngineOptions) {
    this.mode = options.mode;
    this.paths = { ...defaultPaths(), ...options.paths };
    this.host = new ModelHost(this.paths);
    if (options.prewarm ?? options.mode !== 'cli') void this.prewarm();
    // The manager pairs each job with its own kind's data; the union cannot say so.
    this.jobs.onChange((job, data) => this.emit((data === undefined ? { type: 'job', kind: job.kind, job } : { type: 'job', kind: job.kind, job, data }) as JobEvent));
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

  /** Starts the model worker and loads the default model; failures only mean the first generation loads it. */
  private async prewarm(): Promise<void> {
    try {
      const model = await resolveModel(DEFAULT_MODEL_ID, this.paths);
      await this.host.call({ op: 'load', dir: model.dir });
    } catch {
      // No shipped default (a test folder), or a damaged one: generation reports that when it is asked for.
    }
  }

  async dispose(): Promise<void> {
    await this.jobs.dispose();
    await this.host.dispose();
    this.listeners.clear();
  }
}
