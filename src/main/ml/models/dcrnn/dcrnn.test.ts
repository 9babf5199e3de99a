// A tiny DCRNN trains on real fixture rolls, composes labelled forms and smooth interpolations from noise vectors, and streams bars live.
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planBars, formSchedule } from '../../../../shared/noise';
import { encodePerformance } from '../../../music/performance';
import { importMidi } from '../../../music/midi/import';
import { selectBackend } from '../../backend';
import { newManifest } from '../../registry';
import type { LoadedModel } from '../../platform/kind';
import { gradientPenalty } from '../../train/recipes/wganGp';
import { Rng } from '../../train/rng';
import { saveCheckpoint } from '../../checkpoint';
import { readNamed } from '../../train/loop';
import { CHECKPOINT_FORMAT, CONDITION_SIZE, ROLL_PITCHES, STEPS_PER_BAR } from './config';
import { interpolate, noiseOfSeed } from './converter';
import { pieceRoll, RollSource, type PieceRoll } from './data';
import { loadDcrnnModel } from './loaded';
import { Dcrnn } from './model';
import { trainSchema } from './params';
import { configOf, trainDcrnn } from './train';

const FIXTURES = fileURLToPath(new URL('../../../../../tests/fixtures/charrnn/', import.meta.url));
let pieces: PieceRoll[];
let dir: string;
let loaded: LoadedModel;
const wasserstein: number[] = [];

const tiny = trainSchema.parse({ noise: 8, unitsA: 8, stripChannels: 2, rnnUnits: 8, criticWidth: 2, steps: 6, batch: 4, criticSteps: 2, validEvery: 3, checkpointEvery: 3, lr: 1e-3, transpose: 2, seed: 4 });

beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'dcrnn-test-'));
  pieces = [];
  for (const f of (await readdir(FIXTURES)).filter((x) => x.endsWith('.mid')).sort()) {
    pieces.push(pieceRoll(f, encodePerformance(importMidi(new Uint8Array(await readFile(join(FIXTURES, f)))), { sustain: 'extend' })));
  }
  const model = new Dcrnn(configOf(tiny));
  const start = tf.memory().numTensors;
  await trainDcrnn(model, { train: pieces.slice(0, 5), measure: pieces.slice(5) }, tiny, {
    checkpointPath: join(dir, 'checkpoint'),
    onProgress: (p) => wasserstein.push(p.metrics.wasserstein!),
  });
  expect(tf.memory().numTensors).toBe(start);
  model.dispose();
  // For composing, a model whose frames sit around one half (its output bias at 0), so that thresholds find notes
  // and different vectors play differently; an untrained one is near silence by design.
  const composer = new Dcrnn(configOf(tiny));
  tf.tidy(() => composer.generatorVariables.find((v) => v.name === 'g/strip/bias')!.variable.assign(tf.zeros([1])));
  const all = [...composer.generatorVariables, ...composer.criticVariables];
  await saveCheckpoint(join(dir, 'composer'), {
    config: { format: CHECKPOINT_FORMAT, model: composer.config, meanHistogram: new Array<number>(12).fill(1 / 12) },
    weights: await readNamed(all.map((v) => ({ name: v.name, tensor: v.variable }))),
  });
  composer.dispose();
  loaded = await loadDcrnnModel({ dir, checkpointPath: join(dir, 'composer'), manifest: newManifest({ id: 'tiny', kind: 'dcrnn', name: 'Tiny', config: {}, metrics: {} }) });
}, 120_000);

afterAll(async () => {
  loaded?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('DCRNN training', () => {
  it('trains on real fixture rolls with a finite, changing Wasserstein estimate', () => {
    expect(wasserstein).toHaveLength(6);
    for (const w of wasserstein) expect(Number.isFinite(w)).toBe(true);
    expect(new Set(wasserstein.map((w) => w.toFixed(6))).size).toBeGreaterThan(1);
  });

  it('reads fixture rolls on a sixteenth grid at 120 bpm, transposed within the 88 keys', () => {
    const roll = pieces[0]!;
    expect(roll.steps).toBeGreaterThan(100);
    const source = new RollSource(pieces, 48);
    const b = source.sample(new Rng(1), 3, 5);
    expect(b.x.length).toBe(3 * 48 * ROLL_PITCHES);
    for (let i = 0; i < 3; i++) {
      const h = b.condition.subarray(i * CONDITION_SIZE, (i + 1) * CONDITION_SIZE);
      expect(h.reduce((a, c) => a + c, 0)).toBeCloseTo(1, 5);
    }
    // The same generator draws the same segments.
    expect(source.sample(new Rng(1), 3, 5).x).toEqual(b.x);
  });

  it('trains the RNN critic (the study\'s first attempt) through the same recipe', async () => {
    const p = { ...tiny, critic: 'rnn' as const, generator: 'rnn' as const, steps: 3, validEvery: 3 };
    const model = new Dcrnn(configOf(p));
    const seen: number[] = [];
    await trainDcrnn(model, { train: pieces, measure: [] }, p, { onProgress: (e) => seen.push(e.metrics.penalty!) });
    expect(seen).toHaveLength(3);
    expect(seen.every(Number.isFinite)).toBe(true);
    model.dispose();
  });
});

describe('the DCRNN critic', () => {
  it('gives the same gradient penalty, and the same gradient of it, on wasm as on the cpu backend', async () => {
    // (The penalty itself is checked against central differences in recipes/wganGp.test.ts, with smooth units:
    // through this critic's leaky ReLUs, finite differences straddle kinks and measure nothing.)
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const model = new Dcrnn({ ...configOf(tiny), repeat: 1 });
      const rng = new Rng(3);
      const real = tf.tensor3d(Float32Array.from({ length: 2 * 16 * ROLL_PITCHES }, () => (rng.next() < 0.05 ? 1 : 0)), [2, 16, ROLL_PITCHES]);
      const fake = tf.tensor3d(Float32Array.from({ length: 2 * 16 * ROLL_PITCHES }, () => rng.next() * 0.2), [2, 16, ROLL_PITCHES]);
      const c = tf.fill([2, CONDITION_SIZE], 1 / 12);
      const vars = model.criticVariables.map((v) => v.variable);
      const { value, grads } = tf.variableGrads(() => gradientPenalty((x) => model.score(x, c), real, fake, Float32Array.of(0.3, 0.8)), vars);
      // The last layer's bias does not move the gradient in x: it gets no gradient of the penalty.
      const out = { value: value.dataSync()[0]!, grads: vars.filter((v) => grads[v.name]).map((v) => Array.from(grads[v.name]!.dataSync())) };
      tf.dispose([value, ...Object.values(grads), real, fake, c]);
      model.dispose();
      return out;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(cpu.value).toBeGreaterThan(0);
    expect(Math.abs(wasm.value - cpu.value)).toBeLessThan(1e-4 * Math.max(1, cpu.value));
    cpu.grads.forEach((g, k) => {
      const worst = g.reduce((m, x, i) => Math.max(m, Math.abs(x - wasm.grads[k]![i]!) / Math.max(1, Math.abs(x))), 0);
      expect(worst, `critic variable ${k}`).toBeLessThan(1e-3);
    });
  });
});

describe('composing with noise vectors', () => {
  it('turns A B C A B into five labelled sections, the two As the same bars when z is fixed and sampling is off', async () => {
    const r = await loaded.generate!({ form: 'ABCAB', barsPerSection: 2, seed: 9 }, {}, {});
    const sections = r.sequence.sections;
    expect(sections.map((s) => s.name)).toEqual(['A', 'B', 'C', 'A', 'B']);
    const bar = STEPS_PER_BAR * 120;
    expect(sections.map((s) => s.endTick - s.startTick)).toEqual(new Array(5).fill(2 * bar));
    const notesIn = (s: { startTick: number; endTick: number }, seq = r.sequence) =>
      seq.notes.filter((n) => n.startTick >= s.startTick && n.startTick < s.endTick).map((n) => [n.pitch, n.startTick - s.startTick]);
    expect(notesIn(sections[3]!)).toEqual(notesIn(sections[0]!));
    expect(notesIn(sections[0]!).length).toBeGreaterThan(0);
    // The same vector and seed give the same bars.
    const again = await loaded.generate!({ form: 'ABCAB', barsPerSection: 2, seed: 9 }, {}, {});
    expect(again.sequence.notes).toEqual(r.sequence.notes);
    // With sampling noise, the same vector plays differently each time it comes back.
    const sampled = await loaded.generate!({ form: 'ABCAB', barsPerSection: 2, seed: 9, sample: true }, {}, {});
    expect(notesIn(sampled.sequence.sections[3]!, sampled.sequence)).not.toEqual(notesIn(sampled.sequence.sections[0]!, sampled.sequence));
  });

  it('goes on past one segment with variations of the vector, the same each time the section comes back', async () => {
    const r = await loaded.generate!({ form: 'AA', barsPerSection: 6, seed: 5 }, {}, {});
    const bar = STEPS_PER_BAR * 120;
    const notesIn = (from: number, to: number) =>
      r.sequence.notes.filter((n) => n.startTick >= from * bar && n.startTick < to * bar).map((n) => `${n.pitch}@${n.startTick - from * bar}`).sort();
    expect(notesIn(0, 3).length).toBeGreaterThan(0);
    // The segment is three bars: bars 4-6 are the vector's variation, not the first three again.
    expect(notesIn(3, 6)).not.toEqual(notesIn(0, 3));
    expect(notesIn(6, 12)).toEqual(notesIn(0, 6));
  });

  it('plans bars from a schedule, and refuses one that names a missing section', () => {
    const plans = planBars(formSchedule('ABA', 3, 10));
    expect(plans.map((p) => `${p.label}${p.occurrence}:${p.barInSection}`)).toEqual(['A0:0', 'A0:1', 'A0:2', 'B0:0', 'B0:1', 'B0:2', 'A1:0', 'A1:1', 'A1:2']);
    expect(plans[0]!.z).toEqual({ seed: 10 });
    expect(plans[3]!.z).toEqual({ seed: 11 });
    expect(() => planBars({ parts: [], order: ['A'] })).toThrow(/names section "A", which is not defined/);
  });

  it('interpolates smoothly: each step of the move is closer to its neighbour than the two ends are to each other', () => {
    const model = new Dcrnn(configOf(tiny));
    const a = noiseOfSeed(1, tiny.noise);
    const b = noiseOfSeed(2, tiny.noise);
    const n = 8;
    const rolls = Array.from({ length: n }, (_, i) =>
      tf.tidy(() => model.generate(tf.tensor2d(interpolate(a, b, i / (n - 1), 'slerp'), [1, tiny.noise]), tf.fill([1, CONDITION_SIZE], 1 / 12))).dataSync() as Float32Array,
    );
    const distance = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + Math.abs(v - y[i]!), 0);
    const ends = distance(rolls[0]!, rolls[n - 1]!);
    expect(ends).toBeGreaterThan(0);
    for (let i = 1; i < n; i++) expect(distance(rolls[i - 1]!, rolls[i]!)).toBeLessThan(ends);
    // Spherical interpolation keeps the vectors' length (about sqrt(size)), the line does not.
    const norm = (v: Float32Array) => Math.hypot(...v);
    expect(Math.abs(norm(interpolate(a, b, 0.5, 'slerp')) - (norm(a) + norm(b)) / 2)).toBeLessThan(0.2 * norm(a));
    model.dispose();
  });

  it('writes an interpolation as one section of the asked-for bars', async () => {
    const r = await loaded.generate!({ interpolate: '1,2', bars: 6 }, {}, {});
    expect(r.sequence.sections.map((s) => s.name)).toEqual(['A']);
    expect(r.seconds).toBe(12);
    await expect(loaded.generate!({ interpolate: '1,2', form: 'AB' }, {}, {})).rejects.toThrow(/a form or an interpolation, not both/);
  });
});

describe('a live session', () => {
  it('returns bar after bar with a new z each bar, every note ended, and leaves no tensors behind', () => {
    const start = tf.memory().numTensors;
    const s = loaded.openSession!({ seed: 3 }, {});
    const sounding = new Set<number>();
    let ons = 0;
    for (let bar = 0; bar < 12; bar++) {
      s.control(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`z${i}`, Math.sin(bar + i)])));
      const chunk = s.step(2);
      expect(chunk.fromSeconds).toBe(bar * 2);
      expect(chunk.toSeconds).toBe((bar + 1) * 2);
      for (const e of chunk.events) {
        expect(e.seconds).toBeGreaterThanOrEqual(chunk.fromSeconds);
        expect(e.seconds).toBeLessThan(chunk.toSeconds);
        if (e.type === 'on') {
          expect(sounding.has(e.pitch)).toBe(false);
          sounding.add(e.pitch);
          ons++;
        } else expect(sounding.delete(e.pitch)).toBe(true);
      }
    }
    expect(ons).toBeGreaterThan(0);
    expect(() => s.control({ z99: 1 })).toThrow(/past the end/);
    expect(() => s.control({ tempo: 'fast' })).toThrow();
    s.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

