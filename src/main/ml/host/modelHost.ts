// The engine's side of the model worker: started once and kept warm, calls with progress and cancel, restarted after a crash.
import type { Worker } from 'node:worker_threads';
import { CancelledError, RemoteError, StudioError } from '../../../shared/errors';
import type { StudioPaths } from '../../paths';
import { spawnWorker } from '../../util/worker';
import type { HostOptions } from './core';
import type { FromHost, HostOp, HostOps, HostRequest, ToHost } from './protocol';

/** The model worker stopped (crashed, or ran out of memory) while a call was in flight. */
export class ModelWorkerCrashedError extends StudioError {}

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number, message?: string) => void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: CallOptions['onProgress'];
}

export class ModelHost {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;
  /** Called whenever the worker is (re)started, with what it is doing, for the UI's status line. */
  onState: ((state: 'starting' | 'ready' | 'stopped', backend?: string) => void) | null = null;

  constructor(
    private readonly paths: StudioPaths,
    private readonly options: Partial<HostOptions> = {},
  ) {}

  /** Starts the worker (and its ML backend) if it is not running; cheap to call again. */
  start(): Promise<void> {
    if (this.disposed) return Promise.reject(new StudioError('the model host was shut down'));
    if (this.ready) return this.ready;
    const worker = spawnWorker(import.meta.url, new URL('./worker.ts', import.meta.url), new URL('./modelWorker.js', import.meta.url));
    this.worker = worker;
    this.onState?.('starting');
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: FromHost) => {
        if (m.kind === 'ready') {
          this.onState?.('ready', m.backend);
          resolve();
        } else this.onMessage(m);
      });
      worker.on('error', (err) => this.crashed(worker, err.message, reject));
      worker.on('exit', (code) => this.crashed(worker, `exited with code ${code}`, reject));
    });
    // A start that fails is reported to the calls waiting on it, not as an unhandled rejection.
    this.ready.catch(() => undefined);
    worker.postMessage({ kind: 'init', paths: this.paths, options: this.options } satisfies ToHost);
    return this.ready;
  }

  /**
   * Runs one operation in the worker. Cancelling rejects at once with CancelledError, whatever the worker is doing
   * (starting, loading a model): the worker is told, and a late result is dropped.
   */
  call<K extends HostOp>(request: { op: K } & HostOps[K]['args'], options: CallOptions = {}): Promise<HostOps[K]['result']> {
    const { signal, onProgress } = options;
    if (signal?.aborted) return Promise.reject(new CancelledError('cancelled by the user'));
    const id = this.nextId++;
    return new Promise<HostOps[K]['result']>((resolve, reject) => {
      const abort = (): void => {
        if (!this.pending.delete(id)) return;
        this.worker?.postMessage({ kind: 'cancel', id } satisfies ToHost);
        reject(new CancelledError('cancelled by the user'));
      };
      const done = (): void => signal?.removeEventListener('abort', abort);
      this.pending.set(id, {
        resolve: (v) => {
          done();
          resolve(v as HostOps[K]['result']);
        },
        reject: (e) => {
          done();
          reject(e);
        },
        ...(onProgress ? { onProgress } : {}),
      });
      signal?.addEventListener('abort', abort, { once: true });
      if (!this.worker) onProgress?.(0.01, 'starting the engine');
      this.start().then(
        () => {
          if (this.pending.has(id)) this.worker!.postMessage({ kind: 'call', id, request: request as HostRequest } satisfies ToHost);
        },
        (err: Error) => this.pending.get(id)?.reject(err),
      );
    });
  }

  get running(): boolean {
    return this.worker !== null;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    for (const p of this.pending.values()) p.reject(new CancelledError('the engine is shutting down'));
    this.pending.clear();
    if (worker) await worker.terminate();
  }

  private onMessage(m: Exclude<FromHost, { kind: 'ready' }>): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    switch (m.kind) {
      case 'progress':
        p.onProgress?.(m.fraction, m.message);
        break;
      case 'result':
        this.pending.delete(m.id);
        p.resolve(m.value);
        break;
      case 'error':
        this.pending.delete(m.id);
        p.reject(new RemoteError(m.error));
        break;
    }
  }

  private crashed(worker: Worker, why: string, rejectStart: (err: Error) => void): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.ready = null;
    this.onState?.('stopped');
    const err = new ModelWorkerCrashedError(`the model worker stopped (${why}); the next call starts it again`);
    rejectStart(err);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
