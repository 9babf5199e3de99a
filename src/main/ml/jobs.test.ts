// The 'train-model' and 'generate' jobs end to end in job workers, the registry that finds the result, and the models handlers.
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationResult } from '../../shared/generation';
import type { NoteSequence } from '../../shared/song';
import type { JobStatus } from '../../shared/jobs';
import { InvalidArgumentError, NotFoundError } from '../../shared/errors';
import { Engine } from '../engine';
import { modelsHandlers, modelSlug } from '../ipc/handlers/models';
import type { StudioPaths } from '../paths';
import type { TrainModelJobParams, TrainModelJobResult } from './jobs';
import { listModels, readManifest, resolveModel } from './registry';

const FIXTURES = fileURLToPath(new URL('../../../tests/fixtures/charrnn/', import.meta.url));

let root: string;
let paths: StudioPaths;
let engine: Engine;
let trained: JobStatus;
const trainData: unknown[] = [];

const tinyTrain = (outDir: string, steps: number): TrainModelJobParams => ({
  kind: 'conditional-char-rnn',
  dataFolder: FIXTURES,
  cacheDir: join(root, 'cache'),
  outDir,
  name: 'Tiny test model',
  units: [16],
  train: { steps, batchSize: 4, segmentLength: 16, validEvery: 10, validSegments: 4, checkpointEvery: 10, learningRate: 0.01, warmupSteps: 2 },
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ml-jobs-test-'));
  paths = { resources: join(root, 'resources'), userData: join(root, 'user'), cache: join(root, 'cache') };
  engine = new Engine({ mode: 'cli', paths });
  engine.jobs.onChange((job, data) => {
    if (job.kind === 'train-model' && data !== undefined) trainData.push(data);
  });
  const job = engine.jobs.start('train-model', 'train tiny', tinyTrain(join(paths.userData, 'models', 'tiny'), 20));
  trained = await engine.jobs.wait(job.id);
});

afterAll(async () => {
  await engine.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('train-model job', () => {
  it('trains in a worker, streams loss points, and writes a complete model folder', async () => {
    expect(trained.error).toBeUndefined();
    expect(trained.state).toBe('done');
    const result = trained.result as TrainModelJobResult;
    expect(result.modelId).toBe('tiny');
    expect(result.steps).toBe(20);
    expect(result.validNll).toBeGreaterThan(0);
    expect(result.validNll).toBeLessThan(7);
    expect(trainData.filter((d) => (d as { validLoss?: number }).validLoss !== undefined)).toHaveLength(2);
    // After each validation the Train view gets a short sample to listen to.
    const samples = trainData.map((d) => (d as { sample?: NoteSequence }).sample).filter((s) => s !== undefined);
    expect(samples).toHaveLength(2);
    for (const s of samples) {
      expect(s.ppq).toBeGreaterThan(0);
      expect(Array.isArray(s.notes)).toBe(true);
    }
    const dir = join(paths.userData, 'models', 'tiny');
    const manifest = await readManifest(dir);
    expect(manifest.kind).toBe('conditional-char-rnn');
    expect(manifest.data?.validPieces).toBe(1);
    expect(manifest.metrics.parameters).toBeGreaterThan(0);
    await access(join(dir, manifest.plagiarismIndex!));
    await access(join(dir, 'checkpoint', 'optimizer.bin'));
  });

  it('is cancelled between steps and leaves a checkpoint to resume from', async () => {
    const outDir = join(root, 'cancelled');
    const job = engine.jobs.start('train-model', 'train to cancel', tinyTrain(outDir, 100_000));
    await new Promise<void>((resolve) => {
      const off = engine.jobs.onChange((s) => {
        if (s.id === job.id && (s.metric?.name === 'loss' || s.state !== 'running')) {
          off();
          resolve();
        }
      });
    });
    engine.jobs.cancel(job.id);
    const end = await engine.jobs.wait(job.id);
    expect(end.state).toBe('cancelled');
    await access(join(outDir, 'checkpoint', 'training.json'));
  });

  it('keeps the name and licence of a model it resumes', async () => {
    const outDir = join(root, 'resumed');
    const first = await engine.jobs.wait(engine.jobs.start('train-model', 'first', { ...tinyTrain(outDir, 10), name: 'Named', licence: 'CC0' }).id);
    expect(first.state).toBe('done');
    const { name: _dropped, ...unnamed } = tinyTrain(outDir, 12);
    const second = await engine.jobs.wait(engine.jobs.start('train-model', 'resume', { ...unnamed, resume: true }).id);
    expect(second.error).toBeUndefined();
    const manifest = await readManifest(outDir);
    expect(manifest.metrics.steps).toBe(12);
    expect(manifest.name).toBe('Named');
    expect(manifest.data?.licence).toBe('CC0');
  });

  it('rejects bad parameters with the field named', async () => {
    const job = engine.jobs.start('train-model', 'bad', { ...tinyTrain(join(root, 'bad'), 5), kind: 'gan' });
    const end = await engine.jobs.wait(job.id);
    expect(end.state).toBe('failed');
    expect(end.error?.message).toMatch(/kind/);
  });
});

describe('generate job and the registry', () => {
  it('finds the trained model by id and by folder, and names the known ones otherwise', async () => {
    const models = await listModels(paths);
    expect(models.map((m) => [m.id, m.source, m.conditional, m.hasPlagiarismIndex])).toEqual([['tiny', 'user', true, true]]);
    expect((await resolveModel('tiny', paths)).dir).toBe(join(paths.userData, 'models', 'tiny'));
    expect((await resolveModel(join(paths.userData, 'models', 'tiny'), paths)).id).toBe('tiny');
    await expect(resolveModel('nope', paths)).rejects.toThrow(NotFoundError);
    await expect(resolveModel('nope', paths)).rejects.toThrow(/known models: tiny/);
  });

  it('generates through the models handlers: same seed, same notes, with a plagiarism report', async () => {
    const handlers = modelsHandlers(engine);
    const options = { seed: 42, lengthSeconds: 4, conditions: { keyPreset: { tonic: 0, mode: 'major' as const }, density: 4 } };
    const a = await engine.jobs.wait((await handlers.generate('tiny', options)).id);
    const b = await engine.jobs.wait((await handlers.generate('tiny', options)).id);
    expect(a.error).toBeUndefined();
    const ra = a.result as GenerationResult;
    const rb = b.result as GenerationResult;
    expect(ra.seed).toBe(42);
    expect(ra.modelId).toBe('tiny');
    expect(ra.seconds).toBeGreaterThanOrEqual(4);
    expect(ra.sequence.notes).toEqual(rb.sequence.notes);
    expect(ra.plagiarism?.queryLength).toBe(ra.sequence.notes.length);
    expect(ra.options.conditions?.keyPreset).toEqual({ tonic: 0, mode: 'major' });
    await expect(handlers.generate('missing', {})).rejects.toThrow(NotFoundError);
  });

  it('refuses to train over an existing model unless resuming', async () => {
    const handlers = modelsHandlers(engine);
    await expect(handlers.train({ kind: 'char-rnn', dataFolder: FIXTURES, name: 'Tiny' })).rejects.toThrow(InvalidArgumentError);
    expect(modelSlug('My Bach model!')).toBe('my-bach-model');
    expect(() => modelSlug('!!!')).toThrow(InvalidArgumentError);
  });
});
