// Handlers for the models and sessions domains: kinds and models, generation jobs on the warm model worker, training jobs, live sessions.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handlers } from '../../../shared/api/define';
import type { ModelInfo, modelsApi, sessionsApi } from '../../../shared/api/models';
import { InvalidArgumentError, NotFoundError } from '../../../shared/errors';
import type { Engine } from '../../engine';
import type { TrainModelJobParams } from '../../ml/jobs';
import { getKind, kindInfos } from '../../ml/models';
import { listModels, MODEL_MANIFEST, resolveModel } from '../../ml/registry';

/** A folder name from a display name: "My Bach model" -> "my-bach-model". */
export function modelSlug(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100).replace(/-+$/, '');
  if (!slug) throw new InvalidArgumentError(`model name "${name}" has no letters or digits to name its folder`);
  return slug;
}

export function modelsHandlers(engine: Engine): Handlers<{ models: typeof modelsApi }>['models'] {
  return {
    kinds: () => kindInfos(),
    list: () => listModels(engine.paths),
    async generate(id, rawParams, extras) {
      const info = await resolveModel(id, engine.paths);
      // Checked here, so that bad values come back as this call's error rather than as a failed job.
      const params = getKind(info.kind).generateParams(rawParams);
      const primer = extras?.primer;
      // Kinds that write one velocity take the Velocity Net's when a Refine Net is installed.
      const velocityModel = await refineModel(engine).then((m) => m.dir, () => undefined);
      return engine.jobs.start('generate', `Generate with ${info.name}`, {
        run: (ctx) =>
          engine.host.call(
            { op: 'generate', dir: info.dir, params, ...(primer ? { primer } : {}), ...(velocityModel ? { velocityModel } : {}) },
            { signal: ctx.signal, onProgress: (fraction, message) => ctx.progress({ fraction, ...(message ? { message } : {}) }) },
          ),
      });
    },
    async polish(id, sequence, rawParams) {
      const info = id === null ? await refineModel(engine) : await resolveModel(id, engine.paths);
      const params = getKind(info.kind).refineParams(rawParams);
      return engine.jobs.start('polish', `Polish with ${info.name}`, {
        run: (ctx) =>
          engine.host.call(
            { op: 'refine', dir: info.dir, sequence, params },
            { signal: ctx.signal, onProgress: (fraction, message) => ctx.progress({ fraction, ...(message ? { message } : {}) }) },
          ),
      });
    },
    async train(request) {
      const kind = getKind(request.kind);
      // Checked before the job starts: a typo in a parameter is this call's error.
      kind.trainParams(request.preset, request.params ?? {});
      const id = modelSlug(request.name);
      const outDir = join(engine.paths.userData, 'models', id);
      if (!request.resume && (await exists(join(outDir, MODEL_MANIFEST)))) {
        throw new InvalidArgumentError(`a model named "${request.name}" already exists (${outDir}); resume it or choose another name`);
      }
      const params: TrainModelJobParams = {
        kind: kind.id,
        dataFolder: request.dataFolder,
        cacheDir: join(engine.paths.cache, 'datasets'),
        outDir,
        id,
        name: request.name,
        params: request.params ?? {},
        resume: request.resume ?? false,
        ...(request.preset ? { preset: request.preset } : {}),
        ...(request.minutes !== undefined ? { timeBudgetSeconds: request.minutes * 60 } : {}),
      };
      return engine.jobs.start('train-model', `Train ${request.name}`, { params });
    },
  };
}

export function sessionsHandlers(engine: Engine): Handlers<{ sessions: typeof sessionsApi }>['sessions'] {
  return {
    async open(id, rawParams) {
      const info = await resolveModel(id, engine.paths);
      const params = getKind(info.kind).generateParams(rawParams);
      return engine.host.call({ op: 'open', dir: info.dir, params });
    },
    step: (session, seconds) => engine.host.call({ op: 'step', session, seconds }),
    control: (session, values) => engine.host.call({ op: 'control', session, values }),
    close: (session) => engine.host.call({ op: 'close', session }),
  };
}

/** The model that polishes when none is named: the user's newest one of the refine capability, else the shipped one. */
export async function refineModel(engine: Engine): Promise<ModelInfo> {
  const all = (await listModels(engine.paths)).filter((m) => m.capabilities.includes('refine'));
  const pick = all.filter((m) => m.source === 'user').sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? all[0];
  if (!pick) throw new NotFoundError('no model can polish music: train a Refine Net first, or reinstall the shipped one');
  return pick;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
