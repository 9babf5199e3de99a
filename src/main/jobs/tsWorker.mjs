// Starts a TypeScript worker from sources (dev, tests): registers tsx in this thread, then loads the real entry.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.__tsEntry);
