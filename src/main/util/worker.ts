// Starts a worker thread from TypeScript sources (dev, tests: through tsx) or from the built bundle.
import { Worker } from 'node:worker_threads';

/** The .mjs bootstrap that registers tsx in a fresh thread before loading a TypeScript entry. */
const TS_BOOTSTRAP = new URL('../jobs/tsWorker.mjs', import.meta.url);

/**
 * `source` is the worker's .ts entry, `built` its file in the bundle; which one runs depends on whether the
 * calling module is itself running from sources (its URL ends in .ts).
 */
export function spawnWorker(callerUrl: string, source: URL, built: URL): Worker {
  if (callerUrl.endsWith('.ts')) return new Worker(TS_BOOTSTRAP, { workerData: { __tsEntry: source.href } });
  return new Worker(built);
}
