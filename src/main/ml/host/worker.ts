// Entry of the engine's long-lived model worker: keeps models loaded, runs generations and sessions, and the studio's file work.
import { parentPort } from 'node:worker_threads';
import { CancelledError, serializeError } from '../../../shared/errors';
import type { StudioPaths } from '../../paths';
import { selectBackend } from '../backend';
import { DEFAULT_MODEL_ID, resolveModel } from '../registry';
import { ModelHostCore } from './core';
import type { FromHost, HostRequest, ToHost } from './protocol';

if (!parentPort) throw new Error('ml/host/worker.ts must run in a worker thread');
const port = parentPort;
const send = (m: FromHost, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

let core: ModelHostCore | null = null;
let paths: StudioPaths | null = null;
let ready: Promise<void> | null = null;
const running = new Map<number, AbortController>();
let studio: Promise<import('../../studio/service').StudioService> | null = null;

port.on('message', (msg: ToHost) => {
  switch (msg.kind) {
    case 'init':
      paths = msg.paths;
      core = new ModelHostCore(msg.options);
      ready = selectBackend().then((b) => send({ kind: 'ready', backend: b.label }));
      break;
    case 'cancel':
      running.get(msg.id)?.abort();
      break;
    case 'call':
      void call(msg.id, msg.request);
      break;
  }
});

async function call(id: number, request: HostRequest): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  const ctx = { signal: controller.signal, progress: (fraction: number, message?: string) => send({ kind: 'progress', id, fraction, ...(message ? { message } : {}) }) };
  try {
    if (!core || !ready) throw new Error('the model worker was called before init');
    await ready;
    if (controller.signal.aborted) throw new CancelledError('cancelled by the user');
    const value = await run(core, request, ctx);
    send({ kind: 'result', id, value }, value instanceof Uint8Array ? [value.buffer as ArrayBuffer] : []);
  } catch (err) {
    send({ kind: 'error', id, error: serializeError(err) });
  } finally {
    running.delete(id);
  }
}

async function run(core: ModelHostCore, r: HostRequest, ctx: { signal: AbortSignal; progress: (f: number, m?: string) => void }): Promise<unknown> {
  switch (r.op) {
    case 'load':
      return core.load(r.dir, ctx);
    case 'generate':
      return core.generate(r.dir, r.params, { ...(r.primer ? { primer: r.primer } : {}), ...(r.velocityModel ? { velocityModel: r.velocityModel } : {}) }, ctx);
    case 'refine':
      return core.refine(r.dir, r.sequence, r.params, ctx);
    case 'open':
      return core.openSession(r.dir, r.params, r.primer ? { primer: r.primer } : {}, ctx);
    case 'step':
      return core.step(r.session, r.seconds);
    case 'control':
      return core.control(r.session, r.values);
    case 'close':
      return core.closeSession(r.session);
    case 'importFile':
      return (await studioService()).importFile(r.fileName, r.bytes);
    case 'plagiarism':
      return (await studioService()).plagiarism(r.sequence);
    case 'exportMidi':
      return (await studioService()).exportMidi(r.sequence, r.title);
    case 'exportAbc':
      return (await studioService()).exportAbc(r.sequence, r.title);
  }
}

/** The studio's file work shares the default model's corpus index with the generations. */
function studioService() {
  studio ??= import('../../studio/service').then(({ StudioService }) => {
    const p = paths!;
    return new StudioService(p, async () => {
      const model = await resolveModel(DEFAULT_MODEL_ID, p).catch(() => null);
      if (!model?.hasPlagiarismIndex) return null;
      const index = await core!.index(model.dir);
      return index ? { index, name: model.data?.name ? `${model.name} (${model.data.name})` : model.name } : null;
    });
  });
  return studio;
}
