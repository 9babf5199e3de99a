// The 'train-model' job end to end in a job worker, generation on the warm model worker, the registry that finds the result, and the models handlers.
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoteSequence } from '../../shared/song';
import type { JobStatus, TrainPoint } from '../../shared/jobs';
import { InvalidArgumentError, NotFoundError } from '../../shared/errors';
import { Engine } from '../engine';
import { modelsHandlers, modelSlug } from '../ipc/handlers/models';
import type { StudioPaths } from '../paths';
import type { TrainModelJobParams } from './jobs';
import { listModels, readManifest, resolveModel } from './registry';

const FIXTURES = fileURLToPath(new URL('../../../tests/fixtures/charrnn/', import.meta.url));

let root: string;
let paths: StudioPaths;
let engine: Engine;
let trained: JobStatus;
const trainData: { point?: TrainPoint; sample?: NoteSequence }[] = [];

const tinyTrain = (outDir: string, steps: number): TrainModelJobParams => ({
  kind: 'conditional-char-rnn',
  dataFolder: FIXTURES,
  cacheDir: join(root, 'cache'),
  outDir,
  name: 'Tiny test model',
  preset: 'tiny',
  params: { units: 16, steps, batch: 4, segment: 16, validEvery: 10, validSegments: 4, checkpointEvery: 10, lr: 0.01, warmup: 2 },
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ml-jobs-test-'));
  paths = { resources: join(root, 'resources'), userData: join(root, 'user'), cache: join(root, 'cache') };
  engine = new Engine({ mode: 'cli', paths });
  engine.jobs.onChange((job, data) => {
    if (job.kind === 'train-model' && data) trainData.push(data as (typeof trainData)[number]);
  });
  const job = engine.jobs.start('train-model', 'train tiny', { params: tinyTrain(join(paths.userData, 'models', 'tiny'), 20) });
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
    if (trained.kind !== 'train-model') throw new Error('not a training job');
    const result = trained.result!;
    expect(result.modelId).toBe('tiny');
    expect(result.metrics.steps).toBe(20);
    expect(result.metrics.validNll).toBeGreaterThan(0);
    expect(result.metrics.validNll).toBeLessThan(7);
    const points = trainData.flatMap((d) => (d.point ? [d.point] : []));
    expect(points.filter((p) => p.valid !== undefined).map((p) => p.step)).toEqual([10, 20]);
    expect(points[0]!.metrics.loss).toBeGreaterThan(0);
    expect(points[0]!.smoothed.loss).toBeGreaterThan(0);
    // After each validation the Train view gets a short sample to listen to.
    const samples = trainData.flatMap((d) => (d.sample ? [d.sample] : []));
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
    const job = engine.jobs.start('train-model', 'train to cancel', { params: tinyTrain(outDir, 100_000) });
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
    const first = await engine.jobs.wait(engine.jobs.start('train-model', 'first', { params: { ...tinyTrain(outDir, 10), name: 'Named', licence: 'CC0' } }).id);
    expect(first.state).toBe('done');
    const { name: _dropped, ...unnamed } = tinyTrain(outDir, 12);
    const second = await engine.jobs.wait(engine.jobs.start('train-model', 'resume', { params: { ...unnamed, resume: true } }).id);
    expect(second.error).toBeUndefined();
    const manifest = await readManifest(outDir);
    expect(manifest.metrics.steps).toBe(12);
    expect(manifest.name).toBe('Named');
    expect(manifest.data?.licence).toBe('CC0');
  });

  it('rejects an unknown kind and bad parameters with what was wrong named', async () => {
    const gan = await engine.jobs.wait(engine.jobs.start('train-model', 'bad', { params: { ...tinyTrain(join(root, 'bad'), 5), kind: 'gan' } }).id);
    expect(gan.state).toBe('failed');
    expect(gan.error?.message).toMatch(/no model kind "gan"/);
    const lr = await engine.jobs.wait(engine.jobs.start('train-model', 'bad', { params: { ...tinyTrain(join(root, 'bad'), 5), params: { lr: 5 } } }).id);
    expect(lr.error?.message).toMatch(/lr/);
    const typo = await engine.jobs.wait(engine.jobs.start('train-model', 'bad', { params: { ...tinyTrain(join(root, 'bad'), 5), params: { learningRate: 0.1 } } }).id);
    expect(typo.error?.message).toMatch(/unknown parameter "learningRate"/);
  });
});

describe('generate job and the registry', () => {
  it('finds the trained model by id and by folder, and names the known ones otherwise', async () => {
    const models = await listModels(paths);
    expect(models.map((m) => [m.id, m.source, m.capabilities.includes('condition'), m.hasPlagiarismIndex])).toEqual([['tiny', 'user', true, true]]);
    expect((await resolveModel('tiny', paths)).dir).toBe(join(paths.userData, 'models', 'tiny'));
    expect((await resolveModel(join(paths.userData, 'models', 'tiny'), paths, { allowFolder: true })).id).toBe('tiny');
    // Ids from the UI are never read as folders.
    await expect(resolveModel(join(paths.userData, 'models', 'tiny'), paths)).rejects.toThrow(NotFoundError);
    await expect(resolveModel('nope', paths)).rejects.toThrow(NotFoundError);
    await expect(resolveModel('nope', paths)).rejects.toThrow(/known models: tiny/);
  });

  it('generates through the models handlers: same seed, same notes, with a plagiarism report', async () => {
    const handlers = modelsHandlers(engine);
    const params = { seed: 42, seconds: 4, key: 'C major', density: 4 };
    const a = await engine.jobs.wait((await handlers.generate('tiny', params)).id);
    const b = await engine.jobs.wait((await handlers.generate('tiny', params)).id);
    expect(a.error).toBeUndefined();
    if (a.kind !== 'generate' || b.kind !== 'generate') throw new Error('not generate jobs');
    const ra = a.result!;
    const rb = b.result!;
    expect(ra.seed).toBe(42);
    expect(ra.modelId).toBe('tiny');
    expect(ra.seconds).toBeGreaterThanOrEqual(4);
    expect(ra.sequence.notes).toEqual(rb.sequence.notes);
    expect(ra.plagiarism?.queryLength).toBe(ra.sequence.notes.length);
    expect(ra.params).toMatchObject({ key: 'C major', density: 4, seconds: 4, seed: 42 });
    await expect(handlers.generate('missing', {})).rejects.toThrow(NotFoundError);
    // Checked before any job starts, naming the parameter.
    await expect(handlers.generate('tiny', { seconds: -1 })).rejects.toThrow(/seconds/);
    await expect(handlers.generate('tiny', { key: 'H major' })).rejects.toThrow(/key/);
    await expect(handlers.generate('tiny', { tempo: 3 })).rejects.toThrow(/unknown parameter "tempo"/);
  });

  it('refuses to train over an existing model unless resuming', async () => {
    const handlers = modelsHandlers(engine);
    await expect(handlers.train({ kind: 'char-rnn', dataFolder: FIXTURES, name: 'Tiny' })).rejects.toThrow(InvalidArgumentError);
    await expect(handlers.train({ kind: 'char-rnn', dataFolder: FIXTURES, name: 'Other', params: { units: 3 } })).rejects.toThrow(/units/);
    await expect(handlers.train({ kind: 'wavenet', dataFolder: FIXTURES, name: 'Other' })).rejects.toThrow(/no model kind "wavenet"/);
    expect(modelSlug('My Bach model!')).toBe('my-bach-model');
    expect(() => modelSlug('!!!')).toThrow(InvalidArgumentError);
  });
});
