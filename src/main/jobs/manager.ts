// Runs jobs in worker threads, tracks their status, throttles progress to the UI and handles cancel.
import { Worker } from 'node:worker_threads';
import { InvalidArgumentError, NotFoundError } from '../../shared/errors';
import type { JobProgress, JobStatus } from '../../shared/jobs';
import { asJobId, type JobId } from '../../shared/units';
import type { FromWorker, ToWorker } from './protocol';
import { isJobKind } from './runners';

export type JobListener = (job: JobStatus, data?: unknown) => void;

/** How long a cancelled worker may take to stop by itself before it is terminated. */
const CANCEL_GRACE_MS = 3000;
const PROGRESS_INTERVAL_MS = 100;

interface Entry {
  status: JobStatus;
  worker: Worker;
  waiters: ((s: JobStatus) => void)[];
  lastEmit: number;
}

export class JobManager {
  private readonly jobs = new Map<JobId, Entry>();
  private readonly listeners = new Set<JobListener>();
  private nextId = 1;

  onChange(listener: JobListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(kind: string, title: string, params: unknown): JobStatus {
    if (!isJobKind(kind)) throw new InvalidArgumentError(`unknown job kind "${kind}"`);
    const id = asJobId(`job-${this.nextId++}`);
    const worker = spawnWorker();
    const status: JobStatus = { id, kind, title, state: 'running', fraction: 0, startedAt: Date.now() };
    const entry: Entry = { status, worker, waiters: [], lastEmit: 0 };
    this.jobs.set(id, entry);
    worker.on('message', (m: FromWorker) => this.onMessage(entry, m));
    worker.on('error', (err) => this.finish(entry, { state: 'failed', error: { name: err.name, message: err.message } }));
    worker.on('exit', (code) => {
      if (entry.status.state === 'running') {
        this.finish(entry, entry.status.message === 'cancelling'
          ? { state: 'cancelled' }
          : { state: 'failed', error: { name: 'JobCrashedError', message: `job worker exited with code ${code}` } });
      }
    });
    worker.postMessage({ kind: 'run', jobKind: kind, params } satisfies ToWorker);
    this.emit(entry);
    return { ...status };
  }

  list(): JobStatus[] {
    return [...this.jobs.values()].map((e) => ({ ...e.status }));
  }

  get(id: string): JobStatus {
    return { ...this.entry(id).status };
  }

  cancel(id: string): JobStatus {
    const entry = this.entry(id);
    if (entry.status.state !== 'running') return { ...entry.status };
    entry.status.message = 'cancelling';
    entry.worker.postMessage({ kind: 'cancel' } satisfies ToWorker);
    const timer = setTimeout(() => void entry.worker.terminate(), CANCEL_GRACE_MS);
    timer.unref();
    this.emit(entry);
    return { ...entry.status };
  }

  wait(id: string): Promise<JobStatus> {
    const entry = this.entry(id);
    if (entry.status.state !== 'running' && entry.status.state !== 'queued') return Promise.resolve({ ...entry.status });
    return new Promise((resolve) => entry.waiters.push(resolve));
  }

  /** Terminates every running job (on shutdown). */
  async dispose(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((e) => e.worker.terminate()));
  }

  private entry(id: string): Entry {
    const entry = this.jobs.get(id as JobId);
    if (!entry) throw new NotFoundError(`no job with id "${id}"`);
    return entry;
  }

  private onMessage(entry: Entry, m: FromWorker): void {
    if (entry.status.state !== 'running') return;
    switch (m.kind) {
      case 'progress':
        this.applyProgress(entry, m.progress);
        break;
      case 'done':
        this.finish(entry, { state: 'done', fraction: 1, result: m.result });
        break;
      case 'error':
        this.finish(entry, m.error.name === 'CancelledError' ? { state: 'cancelled' } : { state: 'failed', error: m.error });
        break;
    }
  }

  private applyProgress(entry: Entry, p: JobProgress): void {
    const { data, ...rest } = p;
    const cancelling = entry.status.message === 'cancelling';
    Object.assign(entry.status, rest);
    if (cancelling) entry.status.message = 'cancelling';
    const now = Date.now();
    // Data points (loss curves, previews) are never dropped; plain progress is throttled.
    if (data !== undefined || now - entry.lastEmit >= PROGRESS_INTERVAL_MS) {
      entry.lastEmit = now;
      this.emit(entry, data);
    }
  }

  private finish(entry: Entry, patch: Partial<JobStatus>): void {
    if (entry.status.state !== 'running') return;
    Object.assign(entry.status, patch, { endedAt: Date.now() });
    if (entry.status.message === 'cancelling') delete entry.status.message;
    void entry.worker.terminate();
    this.emit(entry);
    for (const w of entry.waiters.splice(0)) w({ ...entry.status });
  }

  private emit(entry: Entry, data?: unknown): void {
    const snapshot = { ...entry.status };
    for (const l of this.listeners) l(snapshot, data);
  }
}

function spawnWorker(): Worker {
  // From sources (tsx, vitest) the worker is TypeScript: a tiny .mjs bootstrap registers tsx in the thread first.
  if (import.meta.url.endsWith('.ts')) {
    const entry = new URL('./worker.ts', import.meta.url).href;
    return new Worker(new URL('./tsWorker.mjs', import.meta.url), { workerData: { __tsEntry: entry } });
  }
  return new Worker(new URL('./jobWorker.js', import.meta.url));
}
