// A throwaway kind declared inside this test trains, lists, generates, and shows up in the CLI's help and flags and in a form, with no other edit.
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formFields } from '../../../shared/forms';
import { emptySequence } from '../../../shared/song';
import { main } from '../../../cli/index';
import type { CliIO } from '../../../cli/command';
import { importMidi } from '../../music/midi/import';
import { selectBackend } from '../backend';
import { loadCheckpoint } from '../checkpoint';
import { ModelHostCore } from '../host/core';
import { kindInfos, registerKind } from '../models';
import { listModels } from '../registry';
import { assignWeights, train } from '../train/loop';
import { supervisedRecipe } from '../train/recipes/supervised';
import { defineKind, parseParams } from './kind';
import { trainModel } from './training';

const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/charrnn/', import.meta.url));

/** Learns one number, the mean pitch of the training notes, and plays a run of notes around it. */
const toyKind = defineKind({
  id: 'toy-echo',
  label: 'Toy echo',
  description: 'Learns the mean pitch of a folder and echoes it.',
  representation: 'the mean pitch, one number',
  capabilities: ['sample'],
  trainSchema: z.object({
    steps: z.number().int().min(1).max(1000).default(30).meta({ title: 'Steps' }),
    lr: z.number().min(0.001).max(10).meta({ title: 'Learning rate' }),
    warmStart: z.number().min(0).max(127).default(40).meta({ title: 'First guess', unit: 'MIDI pitch' }),
  }),
  generateSchema: z.object({
    echoCount: z.number().int().min(1).max(64).default(8).meta({ title: 'Echoes', slider: { min: 1, max: 32, step: 1 } }),
    seed: z.number().int().min(0).optional().meta({ title: 'Seed', widget: 'seed' }),
  }),
  presets: {
    tiny: { label: 'Tiny', hint: 'a few steps', values: { lr: 1 } },
    small: { label: 'Small', hint: 'the same', values: { lr: 0.5 } },
    study: { label: 'Study', hint: 'the same', values: { lr: 0.5 } },
  },
  defaultPreset: 'tiny',
  metrics: [{ name: 'meanPitch', label: 'mean pitch', better: 'lower' }],
  trainingMetrics: [{ name: 'loss', label: 'loss', better: 'lower' }],
  async train(ctx) {
    const pitches = ctx.dataset.pieces.filter((p) => p.split === 'train').flatMap((p) => [...ctx.dataset.tokensOf(p)].filter((t) => t < 128));
    const target = pitches.reduce((a, b) => a + b, 0) / pitches.length;
    const mean = tf.variable(tf.scalar(ctx.params.warmStart), true, `toyEcho${Math.random()}`);
    try {
      const recipe = supervisedRecipe(
        {
          variables: [{ name: 'mean', variable: mean }],
          config: () => ({ kind: 'toy-echo' }),
          sampleBatch: () => target,
          batchItems: () => 1,
          loss: (t) => tf.tidy(() => tf.square(tf.sub(mean, t)).div(100) as tf.Scalar),
        },
        { steps: ctx.params.steps, learningRate: ctx.params.lr, warmupSteps: 0, decay: 'none', finalLearningRateFraction: 1, clipNorm: 0, rateUnit: 'steps/s' },
      );
      await train(recipe, { validEvery: 1000, checkpointEvery: 10, seed: 1, checkpointPath: ctx.checkpointPath, onProgress: (progress) => ctx.emit({ phase: 'train', progress }) });
      return { config: { kind: 'toy-echo' }, metrics: { meanPitch: (await mean.data())[0]!, steps: ctx.params.steps }, training: { ...ctx.params } };
    } finally {
      mean.dispose();
    }
  },
  async load(ref) {
    const ckpt = await loadCheckpoint(ref.checkpointPath);
    const mean = tf.variable(tf.scalar(0));
    assignWeights([{ name: 'mean', variable: mean }], ckpt.weights);
    const pitch = Math.round((await mean.data())[0]!);
    mean.dispose();
    return {
      manifest: ref.manifest,
      bytes: 4,
      async generate(raw) {
        const p = parseParams(z.object({ echoCount: z.number().int().default(8), seed: z.number().int().optional() }), raw, 'toy') as { echoCount: number; seed?: number };
        const sequence = emptySequence();
        for (let i = 0; i < p.echoCount; i++) sequence.notes.push({ pitch: pitch + (i % 2), velocity: 80, startTick: i * 240, endTick: i * 240 + 200, track: 0 });
        return { sequence, seed: p.seed ?? 0, seconds: (p.echoCount * 240) / 960, params: { ...p, seed: p.seed ?? 0 } };
      },
      dispose() {},
    };
  },
});

let root: string;
let unregister: () => void;
let env: string | undefined;
const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => {}, signal: new AbortController().signal };
  return { cli, out, err };
};

beforeAll(async () => {
  await selectBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'toy-kind-'));
  unregister = registerKind(toyKind);
  env = process.env.DEEP_SYMPHONY_HOME;
  process.env.DEEP_SYMPHONY_HOME = join(root, 'user');
});

afterAll(async () => {
  unregister();
  if (env === undefined) delete process.env.DEEP_SYMPHONY_HOME;
  else process.env.DEEP_SYMPHONY_HOME = env;
  await rm(root, { recursive: true, force: true });
});

describe('a kind registered from a test', () => {
  it('builds a form from its schemas: fields, types, bounds, defaults and presets', () => {
    const info = kindInfos().find((k) => k.id === 'toy-echo')!;
    expect(info.label).toBe('Toy echo');
    expect(formFields(info.generateSchema!).map((f) => [f.key, f.flag, f.type, f.default ?? null, f.slider?.max ?? null])).toEqual([
      ['echoCount', 'echo-count', 'integer', 8, 32],
      ['seed', 'seed', 'integer', null, null],
    ]);
    expect(formFields(info.trainSchema).map((f) => f.key)).toEqual(['steps', 'lr', 'warmStart']);
    expect(info.presets.map((p) => [p.id, p.values.lr])).toEqual([['tiny', 1], ['small', 0.5], ['study', 0.5]]);
  });

  it('appears in the CLI help of train, generate and models, with its own flags', async () => {
    const trainHelp = io();
    expect(await main(['train', '--help'], trainHelp.cli)).toBe(0);
    expect(trainHelp.out.join('\n')).toMatch(/toy-echo\s+Toy echo: Learns the mean pitch/);
    expect(trainHelp.out.join('\n')).toMatch(/--warm-start <n> +First guess \(MIDI pitch\); between 0 and 127; default 40 \[toy-echo\]/);
    const generateHelp = io();
    expect(await main(['generate', '--help'], generateHelp.cli)).toBe(0);
    expect(generateHelp.out.join('\n')).toMatch(/--echo-count <n>.*\[toy-echo\]/);
    const listed = io();
    expect(await main(['models'], listed.cli)).toBe(0);
    expect(listed.out.join('\n')).toMatch(/toy-echo\s+Toy echo \(sample\)/);
  });

  it('trains through the platform into a model folder that the model list shows', async () => {
    const outDir = join(root, 'user', 'models', 'echo');
    const manifest = await trainModel({ kind: 'toy-echo', dataFolder: FIXTURES, cacheDir: join(root, 'cache'), outDir, params: { steps: 40 } });
    const notes = importMidi(new Uint8Array(await readFile(join(FIXTURES, 'haydn_7_1.mid')))).notes;
    expect(notes.length).toBeGreaterThan(0);
    expect(manifest.metrics.meanPitch).toBeGreaterThan(50);
    expect(manifest.metrics.meanPitch).toBeLessThan(80);
    const listedModels = await listModels({ resources: join(root, 'none'), userData: join(root, 'user'), cache: join(root, 'cache') });
    expect(listedModels.map((m) => [m.id, m.kind, m.kindLabel, m.capabilities])).toEqual([['echo', 'toy-echo', 'Toy echo', ['sample']]]);
  });

  it('generates through the model host and the CLI, with its flags checked by its schema', async () => {
    const dir = join(root, 'user', 'models', 'echo');
    const host = new ModelHostCore();
    const r = await host.generate(dir, { echoCount: 5 }, {});
    host.dispose();
    expect(r.sequence.notes).toHaveLength(5);
    expect(r.modelKind).toBe('toy-echo');
    const out = join(root, 'echo.mid');
    const ok = io();
    expect(await main(['generate', '--model', 'echo', '--out', out, '--echo-count', '3'], ok.cli)).toBe(0);
    expect(ok.out.join('\n')).toMatch(/wrote .*echo\.mid: 3 notes/);
    const bad = io();
    expect(await main(['generate', '--model', 'echo', '--out', out, '--echo-count', '99'], bad.cli)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/--echo-count must be a whole number between 1 and 64, got "99"/);
    const foreign = io();
    expect(await main(['generate', '--model', 'echo', '--out', out, '--temperature', '1'], foreign.cli)).toBe(2);
    expect(foreign.err.join('\n')).toMatch(/--temperature does not apply to "echo"/);
  });
});
