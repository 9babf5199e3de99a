// The port onto the model platform changed nothing: the same checkpoint and seed give the notes, NLL and training run recorded before it.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePerformance, encodePerformance } from '../../../music/performance';
import { importDataset } from '../../../music/datasets';
import { importMidi } from '../../../music/midi/import';
import { selectBackend } from '../../backend';
import { ModelHostCore } from '../../host/core';
import { DEFAULT_TRAIN_CONFIG, defaultModelConfig } from './config';
import { CharRnn } from './model';

/**
 * Recorded by the code before the port (commit 5a10ec7, wasm backend): for each shipped model, the events of a few
 * generations and the NLL of the fixture pieces; and the per-step losses and final weights of a tiny training run.
 */
interface Golden {
  [model: string]: unknown;
}
const golden = JSON.parse(await readFile(new URL('./golden.pre-port.json', import.meta.url), 'utf8')) as Golden;
const FIXTURES = fileURLToPath(new URL('../../../../../tests/fixtures/charrnn/', import.meta.url));
const MODELS = fileURLToPath(new URL('../../../../../resources/models/', import.meta.url));

interface GoldenGeneration {
  options: { seed: number; lengthSeconds: number; temperature?: number; topK?: number; primer?: string; conditions?: { keyPreset: { tonic: number; mode: string }; density: number; pitchMean: number } };
  tokens: number[];
  notes: number;
}

let host: ModelHostCore;
let root: string;
beforeAll(async () => {
  await selectBackend('wasm');
  host = new ModelHostCore();
  root = await mkdtemp(join(tmpdir(), 'charrnn-port-'));
});
afterAll(async () => {
  host.dispose();
  await rm(root, { recursive: true, force: true });
});

async function fixturePieces() {
  const files = (await readdir(FIXTURES)).filter((f) => f.endsWith('.mid')).sort();
  return Promise.all(files.map(async (f) => ({ id: f, name: f, tokens: encodePerformance(importMidi(new Uint8Array(await readFile(join(FIXTURES, f)))), { sustain: 'extend' }) })));
}

/** The golden options as the kind's generation parameters. */
function paramsOf(o: GoldenGeneration['options']): Record<string, unknown> {
  const p: Record<string, unknown> = { seed: o.seed, seconds: o.lengthSeconds };
  if (o.temperature !== undefined) p.temperature = o.temperature;
  if (o.topK !== undefined) p.topK = o.topK;
  if (o.conditions) {
    expect(o.conditions.keyPreset).toEqual({ tonic: 2, mode: 'minor' });
    Object.assign(p, { key: 'D minor', density: o.conditions.density, pitch: o.conditions.pitchMean });
  }
  return p;
}

describe.each(['piano-char-rnn', 'piano-conditional-char-rnn'])('%s through the platform', (id) => {
  const g = golden[id] as { generations: GoldenGeneration[]; nllFixtures: number };

  it('generates the same notes from the same seed as before the port', async () => {
    const files = (await readdir(FIXTURES)).filter((f) => f.endsWith('.mid')).sort();
    const primer = importMidi(new Uint8Array(await readFile(join(FIXTURES, files[0]!))));
    primer.notes = primer.notes.filter((n) => n.startTick < primer.ppq * 8);
    expect(primer.notes.length).toBe(17);
    expect(g.generations.length).toBeGreaterThanOrEqual(3);
    for (const gen of g.generations) {
      const result = await host.generate(join(MODELS, id), paramsOf(gen.options), gen.options.primer ? { primer } : {});
      expect(result.events, JSON.stringify(gen.options)).toBe(gen.tokens.length);
      expect(result.sequence.notes, JSON.stringify(gen.options)).toEqual(decodePerformance(gen.tokens).notes);
      expect(result.seed).toBe(gen.options.seed);
    }
  });

  it('scores the fixture pieces with the same NLL as before the port', async () => {
    const dataset = await importDataset(FIXTURES, { cacheDir: join(root, 'cache'), augment: { transpose: [], stretch: [] } });
    const pieces = dataset.pieces.filter((p) => !p.augmentation);
    // The dataset import encodes each piece as the golden run did.
    const expected = await fixturePieces();
    expect(pieces.map((p) => [...dataset.tokensOf(p)].length).sort()).toEqual(expected.map((p) => p.tokens.length).sort());
    const report = await host.evaluate(join(MODELS, id), { dataset, pieces, options: { window: 128, batch: 16 } });
    expect(report.metrics.nll).toBeCloseTo(g.nllFixtures, 5);
  });
});

describe('training through the recipe shell', () => {
  it.each(['char-rnn', 'conditional-char-rnn'] as const)('%s: the same losses and weights, step by step, as before the port', async (kind) => {
    const g = golden[`train-${kind}`] as { losses: number[]; valid: number[]; weightsSha256: string };
    const pieces = await fixturePieces();
    const cut = (p: (typeof pieces)[number], from: number, to: number) => ({ ...p, tokens: p.tokens.slice(Math.floor(p.tokens.length * from), Math.floor(p.tokens.length * to)) });
    const corpus = { train: pieces.map((p) => cut(p, 0, 0.85)), valid: pieces.map((p) => cut(p, 0.85, 1)) };
    const model = new CharRnn({ ...defaultModelConfig(kind, 'tiny'), units: [24, 16], dropout: 0.1 });
    const losses: number[] = [];
    const valid: number[] = [];
    await model.train(
      corpus,
      { ...DEFAULT_TRAIN_CONFIG, steps: 8, batchSize: 4, segmentLength: 32, validEvery: 4, validSegments: 8, checkpointEvery: 4, warmupSteps: 2, transpose: 2, seed: 9, learningRate: 0.01 },
      {
        checkpointPath: join(root, `ckpt-${kind}`),
        onProgress: (p) => {
          losses.push(p.metrics.loss!);
          if (p.valid) valid.push(p.valid.loss!);
        },
      },
    );
    expect(losses).toEqual(g.losses);
    expect(valid).toEqual(g.valid);
    const h = createHash('sha256');
    for (const v of model.namedVariables()) h.update(Buffer.from(((await v.variable.data()) as Float32Array).buffer));
    expect(h.digest('hex')).toBe(g.weightsSha256);
    model.dispose();
  });
});
