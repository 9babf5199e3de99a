// Entry of a job worker thread: runs one job, streams its progress, stops on cancel.
import { parentPort } from 'node:worker_threads';
import { CancelledError, serializeError } from '../../shared/errors';
import type { FromWorker, ToWorker } from './protocol';
import { jobRunners } from './runners';

if (!parentPort) throw new Error('jobs/worker.ts must run in a worker thread');
const port = parentPort;
const controller = new AbortController();
const send = (m: FromWorker) => port.postMessage(m);

port.on('message', (msg: ToWorker) => {
  if (msg.kind === 'cancel') {
    controller.abort();
    return;
  }
  void run(msg.jobKind, msg.params);
});

async function run(jobKind: string, params: unknown): Promise<void> {
  try {
    const load = jobRunners[jobKind as keyof typeof jobRunners];
    if (!load) throw new Error(`unknown job kind "${jobKind}"`);
    const runner = await load();
    const result = await runner(params, {
      progress: (progress) => send({ kind: 'progress', progress }),
      signal: controller.signal,
      throwIfCancelled() {
        if (controller.signal.aborted) throw new CancelledError('cancelled by the user');
      },
    });
    send({ kind: 'done', result });
  } catch (err) {
    send({ kind: 'error', error: serializeError(err) });
  }
}
