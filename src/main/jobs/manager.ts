// Runs jobs in queues (one training at a time, a few generations), in a worker thread or on the warm model worker, with progress and cancel.
import type { Worker } from 'node:worker_threads';
import { CancelledError, InvalidArgumentError, NotFoundError, serializeError } from '../../shared/errors';
import type { JobDataOf, JobKind, JobProgress, JobStatus, JobStatusOf } from '../../shared/jobs';
import { asJobId, type JobId } from '../../shared/units';
import { spawnWorker } from '../util/worker';
import type { FromWorker, ToWorker } from './protocol';
import { isWorkerJobKind } from './runners';
import type { JobContext } from './types';

export type JobListener = (job: JobStatus, data?: unknown) => void;

/** How long a cancelled worker may take to stop by itself before it is terminated. */
const CANCEL_GRACE_MS = 3000;
const PROGRESS_INTERVAL_MS = 100;

/** Which queue a kind waits in, and how many of that queue run at once. */
const LANES = {
  /** Training takes every core it is given: one at a time. */
  training: 1,
  /** Generations run on the warm model worker; the bound keeps memory bounded when many are asked at once. */
  generation: 4,
  other: 2,
} as const;
type Lane = keyof typeof LANES;
const LANE_OF: Record<JobKind, Lane> = { 'train-model': 'training', 'generate': 'generation', 'polish': 'generation', 'import-dataset': 'other', 'self-test': 'other' };

export interface JobManagerOptions {
  /** Finished jobs kept for the UI's history; older ones are forgotten. */
  keepFinished?: number;
  /** Override a lane's concurrency (tests). */
  lanes?: Partial<Record<Lane, number>>;
}

/** How a job does its work: in a fresh worker thread by kind, or by a function on this thread that delegates (e.g. to the model worker). */
export type JobWork = { params: unknown } | { run: (ctx: JobContext) => Promise<unknown> };

interface Entry {
  status: JobStatus;
  lane: Lane;
  work: JobWork;
  worker: Worker | null;
  controller: AbortController;
  waiters: ((s: JobStatus) => void)[];
  lastEmit: number;
}

export class JobManager {
  private readonly jobs = new Map<JobId, Entry>();
  private readonly listeners = new Set<JobListener>();
  private nextId = 1;
  private readonly keepFinished: number;
  private readonly lanes: Record<Lane, number>;

  constructor(options: JobManagerOptions = {}) {
    this.keepFinished = options.keepFinished ?? 40;
    this.lanes = { ...LANES, ...options.lanes };
  }

  onChange(listener: JobListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Queues a job; it starts at once when its lane has room. */
  start<K extends JobKind>(kind: K, title: string, work: JobWork): JobStatusOf<K> {
    if (!(kind in LANE_OF)) throw new InvalidArgumentError(`unknown job kind "${kind}"`);
    if ('params' in work && !isWorkerJobKind(kind)) throw new InvalidArgumentError(`job kind "${kind}" does not run in a job worker`);
    const id = asJobId(`job-${this.nextId++}`);
    const status = { id, kind, title, state: 'queued', fraction: 0, queuedAt: Date.now() } as JobStatusOf<K>;
    // A JobStatusOf<K> is one member of the JobStatus union; TypeScript cannot see that for a generic K.
    const entry: Entry = { status: status as unknown as JobStatus, lane: LANE_OF[kind], work, worker: null, controller: new AbortController(), waiters: [], lastEmit: 0 };
    this.jobs.set(id, entry);
    this.emit(entry);
    this.pump();
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
    if (entry.status.state === 'queued') {
      this.finish(entry, { state: 'cancelled' });
      return { ...entry.status };
    }
    if (entry.status.state !== 'running') return { ...entry.status };
    entry.status.message = 'cancelling';
    entry.controller.abort();
    if (entry.worker) {
      entry.worker.postMessage({ kind: 'cancel' } satisfies ToWorker);
      const worker = entry.worker;
      const timer = setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS);
      timer.unref();
    }
    this.emit(entry);
    return { ...entry.status };
  }

  wait(id: string): Promise<JobStatus> {
    const entry = this.entry(id);
    if (entry.status.state !== 'running' && entry.status.state !== 'queued') return Promise.resolve({ ...entry.status });
    return new Promise((resolve) => entry.waiters.push(resolve));
  }

  /** Stops every job (on shutdown). */
  async dispose(): Promise<void> {
    for (const e of this.jobs.values()) e.controller.abort();
    await Promise.all([...this.jobs.values()].map((e) => e.worker?.terminate()));
  }

  private pump(): void {
    for (const lane of Object.keys(this.lanes) as Lane[]) {
      let running = [...this.jobs.values()].filter((e) => e.lane === lane && e.status.state === 'running').length;
      for (const e of this.jobs.values()) {
        if (running >= this.lanes[lane]) break;
        if (e.lane !== lane || e.status.state !== 'queued') continue;
        running++;
        this.run(e);
      }
    }
  }

  private run(entry: Entry): void {
    entry.status.state = 'running';
    entry.status.startedAt = Date.now();
    this.emit(entry);
    const work = entry.work;
    if ('run' in work) {
      const ctx: JobContext = {
        progress: (p) => this.onMessage(entry, { kind: 'progress', progress: p }),
        signal: entry.controller.signal,
        throwIfCancelled() {
          if (entry.controller.signal.aborted) throw new CancelledError('cancelled by the user');
        },
      };
      work.run(ctx).then(
        (result) => this.onMessage(entry, { kind: 'done', result }),
        (err: unknown) => this.onMessage(entry, { kind: 'error', error: serializeError(err) }),
      );
      return;
    }
    const worker = spawnWorker(import.meta.url, new URL('./worker.ts', import.meta.url), new URL('./jobWorker.js', import.meta.url));
    entry.worker = worker;
    worker.on('message', (m: FromWorker) => this.onMessage(entry, m));
    worker.on('error', (err) => this.finish(entry, { state: 'failed', error: { name: err.name, message: err.message } }));
    worker.on('exit', (code) => {
      if (entry.status.state === 'running') {
        this.finish(entry, entry.status.message === 'cancelling'
          ? { state: 'cancelled' }
          : { state: 'failed', error: { name: 'JobCrashedError', message: `job worker exited with code ${code}` } });
      }
    });
    worker.postMessage({ kind: 'run', jobKind: entry.status.kind, params: work.params } satisfies ToWorker);
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
        this.finish(entry, { state: 'done', fraction: 1, result: m.result } as Partial<JobStatus>);
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
    if (entry.status.state !== 'running' && entry.status.state !== 'queued') return;
    Object.assign(entry.status, patch, { endedAt: Date.now() });
    if (entry.status.message === 'cancelling') delete entry.status.message;
    void entry.worker?.terminate();
    entry.worker = null;
    this.emit(entry);
    for (const w of entry.waiters.splice(0)) w({ ...entry.status });
    this.prune();
    this.pump();
  }

  /** Forgets the oldest finished jobs beyond keepFinished. */
  private prune(): void {
    const finished = [...this.jobs.values()].filter((e) => e.status.state !== 'running' && e.status.state !== 'queued');
    for (const e of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) this.jobs.delete(e.status.id);
  }

  private emit(entry: Entry, data?: unknown): void {
    const snapshot = { ...entry.status } as JobStatus;
    for (const l of this.listeners) l(snapshot, data as JobDataOf<JobKind>);
  }
}
