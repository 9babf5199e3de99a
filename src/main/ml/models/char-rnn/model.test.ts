// A tiny Char-RNN learns real piano music, generates reproducibly from a seed, streams, saves and loads, and frees its tensors.
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../shared/errors';
import { encodePerformance, TIME_SHIFT_OFFSET, VELOCITY_OFFSET, VOCAB_SIZE } from '../../../music/performance';
import { importMidi } from '../../../music/midi/import';
import { selectBackend } from '../../backend';
import { DEFAULT_TRAIN_CONFIG, defaultModelConfig, type CharRnnTrainConfig } from './config';
import type { TokenCorpus } from './data';
import { CharRnn } from './model';

const FIXTURES = fileURLToPath(new URL('../../../../../tests/fixtures/charrnn/', import.meta.url));

let corpus: TokenCorpus;
let model: CharRnn;
let dir: string;
let startTensors: number;
const validLosses: number[] = [];

const trainConfig: CharRnnTrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  steps: 300,
  batchSize: 16,
  segmentLength: 48,
  learningRate: 2e-2,
  warmupSteps: 10,
  validEvery: 100,
  validSegments: 32,
  checkpointEvery: 300,
  transpose: 0,
  seed: 3,
};

beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'charrnn-test-'));
  // Each piece's last 15% is the valid split: every piece is seen, but no valid event is trained on.
  corpus = { train: [], valid: [] };
  for (const file of (await readdir(FIXTURES)).filter((f) => f.endsWith('.mid')).sort()) {
    const tokens = encodePerformance(importMidi(new Uint8Array(await readFile(join(FIXTURES, file)))), { sustain: 'extend' });
    const cut = Math.floor(tokens.length * 0.85);
    corpus.train.push({ id: file, name: file, tokens: tokens.slice(0, cut) });
    corpus.valid.push({ id: file, name: file, tokens: tokens.slice(cut) });
  }
  startTensors = tf.memory().numTensors;
  model = new CharRnn({ ...defaultModelConfig('char-rnn', 'tiny'), units: [64] });
  await model.train(corpus, trainConfig, {
    checkpointPath: join(dir, 'checkpoint'),
    onProgress: (p) => {
      if (p.valid) validLosses.push(p.valid.loss!);
    },
  });
}, 120_000);

afterAll(async () => {
  model?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('Char-RNN on real piano music', () => {
  it('validation loss drops well below a uniform guess (ln 388 = 5.96 nats)', async () => {
    expect(validLosses).toHaveLength(3);
    expect(validLosses[2]!).toBeLessThan(Math.log(VOCAB_SIZE) - 2);
    expect(validLosses[2]!).toBeLessThan(validLosses[0]!);
    const nll = await model.evaluate(corpus.valid, { window: 48, batchSize: 16 });
    expect(nll).toBeLessThan(Math.log(VOCAB_SIZE) - 2);
  });

  it('generates the same notes from the same seed, different ones from another seed', () => {
    const a = model.generate({ seed: 11, lengthSeconds: 5, temperature: 1 });
    const b = model.generate({ seed: 11, lengthSeconds: 5, temperature: 1 });
    const c = model.generate({ seed: 12, lengthSeconds: 5, temperature: 1 });
    expect(Array.from(a.tokens)).toEqual(Array.from(b.tokens));
    expect(a.sequence).toEqual(b.sequence);
    expect(Array.from(c.tokens)).not.toEqual(Array.from(a.tokens));
    expect(a.seed).toBe(11);
    expect(a.seconds).toBeGreaterThanOrEqual(5);
    // It stops at the first time-shift that reaches 5 s.
    let before = 0;
    for (const t of a.tokens.subarray(0, a.tokens.length - 1)) if (t >= TIME_SHIFT_OFFSET && t < VELOCITY_OFFSET) before += (t - TIME_SHIFT_OFFSET + 1) / 100;
    expect(before).toBeLessThan(5);
    expect(a.sequence.notes.length).toBeGreaterThan(0);
  });

  it('honours a length in events, top-k 1 (greedy) and nucleus sampling', () => {
    const greedy1 = model.generate({ seed: 1, lengthEvents: 40, topK: 1 });
    const greedy2 = model.generate({ seed: 2, lengthEvents: 40, topK: 1 });
    expect(greedy1.tokens).toHaveLength(40);
    // With only the most likely event allowed, the seed no longer matters.
    expect(Array.from(greedy1.tokens)).toEqual(Array.from(greedy2.tokens));
    const nucleus = model.generate({ seed: 1, lengthEvents: 40, topP: 1e-6 });
    expect(Array.from(nucleus.tokens)).toEqual(Array.from(greedy1.tokens));
    expect(() => model.generate({ temperature: 0 })).toThrow(InvalidArgumentError);
    expect(() => model.generate({ conditions: { density: 3 } })).toThrow(/takes none/);
  });

  it('continues a primer, and the stream carries state step to step like generate()', async () => {
    const primer = importMidi(new Uint8Array(await readFile(join(FIXTURES, 'chpn-p20.mid'))));
    const continued = model.generate({ seed: 5, lengthEvents: 30, primer });
    const fresh = model.generate({ seed: 5, lengthEvents: 30 });
    expect(Array.from(continued.tokens)).not.toEqual(Array.from(fresh.tokens));
    const stream = model.stream({ seed: 5, primer });
    const stepped = Array.from({ length: 30 }, () => stream.next());
    stream.dispose();
    expect(stepped).toEqual(Array.from(continued.tokens));
  });

  it('loads from its checkpoint and generates exactly as before', async () => {
    const { model: loaded } = await CharRnn.load(join(dir, 'checkpoint'));
    try {
      expect(Array.from(loaded.generate({ seed: 9, lengthEvents: 50 }).tokens)).toEqual(Array.from(model.generate({ seed: 9, lengthEvents: 50 }).tokens));
    } finally {
      loaded.dispose();
    }
  });

  it('leaves no tensors behind once disposed', () => {
    const probe = new CharRnn({ ...defaultModelConfig('conditional-char-rnn', 'tiny'), units: [8, 8] });
    const before = tf.memory().numTensors;
    probe.initialize();
    probe.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // The trained model's own variables are the only tensors the whole suite added.
    const own = model.namedVariables().length;
    expect(tf.memory().numTensors).toBe(startTensors + own);
  });
});
