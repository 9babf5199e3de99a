// Handlers for the models domain: list models, start generation and training jobs.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handlers } from '../../../shared/api/define';
import type { modelsApi } from '../../../shared/api/models';
import { InvalidArgumentError } from '../../../shared/errors';
import type { Engine } from '../../engine';
import type { GenerateJobParams, TrainModelJobParams } from '../../ml/jobs';
import { listModels, MODEL_MANIFEST, resolveModel } from '../../ml/registry';

/** A folder name from a display name: "My Bach model" -> "my-bach-model". */
export function modelSlug(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (!slug) throw new InvalidArgumentError(`model name "${name}" has no letters or digits to name its folder`);
  return slug;
}

export function modelsHandlers(engine: Engine): Handlers<{ models: typeof modelsApi }>['models'] {
  return {
    list: () => listModels(engine.paths),
    async generate(id, options) {
      const info = await resolveModel(id, engine.paths);
      const params: GenerateJobParams = { modelDir: info.dir, options };
      return engine.jobs.start('generate', `Generate with ${info.name}`, params);
    },
    async train(request) {
      const id = modelSlug(request.name);
      const outDir = join(engine.paths.userData, 'models', id);
      if (!request.resume && (await exists(join(outDir, MODEL_MANIFEST)))) {
        throw new InvalidArgumentError(`a model named "${request.name}" already exists (${outDir}); resume it or choose another name`);
      }
      const train: NonNullable<TrainModelJobParams['train']> = {};
      if (request.steps !== undefined) train.steps = request.steps;
      if (request.batchSize !== undefined) train.batchSize = request.batchSize;
      if (request.segmentLength !== undefined) train.segmentLength = request.segmentLength;
      if (request.learningRate !== undefined) train.learningRate = request.learningRate;
      const params: TrainModelJobParams = {
        kind: request.kind,
        dataFolder: request.dataFolder,
        cacheDir: join(engine.paths.cache, 'datasets'),
        outDir,
        id,
        name: request.name,
        train,
        resume: request.resume ?? false,
        ...(request.preset ? { preset: request.preset } : {}),
        ...(request.units ? { units: request.units } : {}),
      };
      return engine.jobs.start('train-model', `Train ${request.name}`, params);
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
