// The UI's live view of the engine: connection, backend, devices and jobs, as Svelte 5 state.
import type { ApiClient, EngineEvent } from '../../../shared/api';
import type { AppInfo, BackendReport, DeviceReport } from '../../../shared/api/app';
import type { JobEvent, JobStatus } from '../../../shared/jobs';
import { connect, type Connection } from './bridge';

/** Finished jobs the UI keeps for its history (the engine keeps as many). */
const KEEP_FINISHED_JOBS = 40;

export type Area = 'compose' | 'arrange' | 'train' | 'live';

class Studio {
  connection = $state<Connection | null>(null);
  error = $state<string | null>(null);
  info = $state<AppInfo | null>(null);
  backend = $state<BackendReport | null>(null);
  devices = $state<DeviceReport[]>([]);
  jobs = $state<JobStatus[]>([]);
  area = $state<Area>('compose');
  private readonly jobListeners = new Set<(event: JobEvent) => void>();

  get api(): ApiClient {
    if (!this.connection) throw new Error('not connected to the engine yet');
    return this.connection.api;
  }

  async start(): Promise<void> {
    try {
      const connection = await connect();
      connection.bridge.onEvent((e) => this.onEvent(e));
      this.connection = connection;
      const info = await connection.api.app.info();
      this.info = info;
      this.backend = info.backend;
      this.devices = info.devices;
      this.jobs = await connection.api.jobs.list();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  /** Subscribes to job updates, with any data points (loss, previews) they carry. */
  onJob(listener: (event: JobEvent) => void): () => void {
    this.jobListeners.add(listener);
    return () => this.jobListeners.delete(listener);
  }

  /** The engine forgets old finished jobs; so does the UI, keeping the same number. */
  private pruneJobs(): void {
    const finished = this.jobs.filter((j) => j.state !== 'running' && j.state !== 'queued');
    if (finished.length <= KEEP_FINISHED_JOBS) return;
    const drop = new Set(finished.slice(0, finished.length - KEEP_FINISHED_JOBS).map((j) => j.id));
    this.jobs = this.jobs.filter((j) => !drop.has(j.id));
  }

  private onEvent(e: EngineEvent): void {
    switch (e.type) {
      case 'job': {
        const i = this.jobs.findIndex((j) => j.id === e.job.id);
        if (i >= 0) this.jobs[i] = e.job;
        else this.jobs.push(e.job);
        this.pruneJobs();
        for (const l of this.jobListeners) l(e);
        break;
      }
      case 'backend':
        this.backend = e.backend;
        break;
      case 'devices':
        this.devices = e.devices;
        break;
    }
  }
}

export const studio = new Studio();
