// Conditions steer a Conditional Char-RNN: trained briefly on synthetic pieces in all keys at two densities, a key preset and a density change what it plays.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoteSequence } from '../../../../shared/song';
import { noteOffToken, noteOnToken, timeShiftToken, velocityToken } from '../../../music/performance';
import { selectBackend } from '../../backend';
import { Rng } from '../../train/rng';
import { DEFAULT_TRAIN_CONFIG, defaultModelConfig } from './config';
import type { TokenCorpus, TokenPiece } from './data';
import { CharRnn } from './model';

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const WHITE = new Set([0, 2, 4, 5, 7, 9, 11]);

/** A monophonic random walk over one major scale, one note every 1/density seconds. */
function syntheticPiece(rng: Rng, tonic: number, density: number, notes: number): TokenPiece {
  const allowed: number[] = [];
  for (let p = 52; p <= 80; p++) if (MAJOR.includes((p - tonic + 12) % 12)) allowed.push(p);
  const tokens: number[] = [velocityToken(16)];
  let k = Math.floor(allowed.length / 2);
  const steps = Math.round(100 / density);
  for (let n = 0; n < notes; n++) {
    k = Math.min(allowed.length - 1, Math.max(0, k + rng.int(5) - 2));
    const pitch = allowed[k]!;
    tokens.push(noteOnToken(pitch), timeShiftToken(steps), noteOffToken(pitch));
  }
  return { id: `key${tonic}-d${density}`, name: `key ${tonic} at ${density}/s`, tokens: Uint16Array.from(tokens) };
}

const whiteShare = (seq: NoteSequence): number => seq.notes.filter((n) => WHITE.has(n.pitch % 12)).length / seq.notes.length;

let model: CharRnn;
let start: number;

beforeAll(async () => {
  await selectBackend('wasm');
  start = tf.memory().numTensors;
  const rng = new Rng(5);
  const corpus: TokenCorpus = { train: [], valid: [] };
  for (let tonic = 0; tonic < 12; tonic++) {
    for (const density of [2, 8]) {
      corpus.train.push(syntheticPiece(rng, tonic, density, 200));
      if (tonic % 4 === 0) corpus.valid.push(syntheticPiece(rng, tonic, density, 60));
    }
  }
  model = new CharRnn({ ...defaultModelConfig('conditional-char-rnn', 'tiny'), units: [64] });
  await model.train(corpus, {
    ...DEFAULT_TRAIN_CONFIG,
    steps: 200,
    batchSize: 32,
    segmentLength: 32,
    learningRate: 3e-2,
    warmupSteps: 10,
    validEvery: 250,
    validSegments: 16,
    checkpointEvery: 1000,
    transpose: 0,
    seed: 2,
  });
}, 120_000);

afterAll(() => {
  model?.dispose();
});

describe('Conditional Char-RNN steering', () => {
  it('plays mostly white keys for C major and mostly other notes for F# major', () => {
    const c = model.generate({ seed: 1, lengthSeconds: 20, temperature: 0.8, conditions: { keyPreset: { tonic: 0, mode: 'major' } } });
    const fSharp = model.generate({ seed: 1, lengthSeconds: 20, temperature: 0.8, conditions: { keyPreset: { tonic: 6, mode: 'major' } } });
    expect(c.sequence.notes.length).toBeGreaterThan(20);
    expect(whiteShare(c.sequence)).toBeGreaterThan(0.8);
    // F# major has two white keys (B, E#) out of seven.
    expect(whiteShare(fSharp.sequence)).toBeLessThan(0.5);
  });

  it('plays more notes per second for a higher density', () => {
    const key = { tonic: 0, mode: 'major' as const };
    const slow = model.generate({ seed: 3, lengthSeconds: 20, conditions: { keyPreset: key, density: 2 } });
    const fast = model.generate({ seed: 3, lengthSeconds: 20, conditions: { keyPreset: key, density: 8 } });
    expect(fast.sequence.notes.length / fast.seconds).toBeGreaterThan((2 * slow.sequence.notes.length) / slow.seconds);
  });

  it('follows conditions that change over time', () => {
    const cMajor = { keyPreset: { tonic: 0, mode: 'major' as const }, density: 8 };
    const options = { seed: 4, lengthSeconds: 30, temperature: 0.8 };
    const steady = model.generate({ ...options, conditions: cMajor });
    const changing = model.generate({ ...options, conditions: { ...cMajor, timeline: [{ atSeconds: 10, keyPreset: { tonic: 6, mode: 'major' } }] } });
    const seconds = (tick: number): number => (tick / changing.sequence.ppq) * 0.5;
    const before = (seq: NoteSequence) => seq.notes.filter((n) => seconds(n.startTick) < 9.5);
    // Identical until the change, then steered away from the white keys.
    expect(before(changing.sequence)).toEqual(before(steady.sequence));
    const after = changing.sequence.notes.filter((n) => seconds(n.startTick) > 15);
    const steadyAfter = steady.sequence.notes.filter((n) => seconds(n.startTick) > 15);
    expect(after.length).toBeGreaterThan(20);
    expect(whiteShare({ ...changing.sequence, notes: after })).toBeLessThan(whiteShare({ ...steady.sequence, notes: steadyAfter }) - 0.15);
  });

  it('can be steered live from a stream, and frees its tensors', () => {
    const stream = model.stream({ seed: 6, temperature: 0.8, conditions: { keyPreset: { tonic: 0, mode: 'major' }, density: 8 } });
    stream.setConditions({ keyPreset: { tonic: 6, mode: 'major' }, density: 8 });
    const pitches: number[] = [];
    while (pitches.length < 40) {
      const t = stream.next();
      if (t < 128) pitches.push(t);
    }
    stream.dispose();
    expect(pitches.filter((p) => WHITE.has(p % 12)).length / pitches.length).toBeLessThan(0.5);
    expect(tf.memory().numTensors).toBe(start + model.namedVariables().length);
  });
});
