// Conditions steer a Conditional Char-RNN: trained briefly on synthetic pieces in all keys at two densities, a key preset and a density change what it plays.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoteSequence } from '../../../shared/song';
import { noteOffToken, noteOnToken, timeShiftToken, velocityToken } from '../../music/performance';
import { selectBackend } from '../backend';
import { Rng } from '../train/rng';
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
    steps: 250,
    batchSize: 16,
    segmentLength: 48,
    learningRate: 2e-2,
    warmupSteps: 10,
    validEvery: 250,
    validSegments: 16,
    checkpointEvery: 1000,
    transpose: 0,
    seed: 2,
  });
});

afterAll(() => {
  model?.dispose();
});

describe('Conditional Char-RNN steering', () => {
  it('plays mostly white keys for C major and mostly other notes for F# major', () => {
    const c = model.generate({ seed: 1, lengthSeconds: 20, temperature: 0.8, conditions: { keyPreset: { tonic: 0, mode: 'major' } } });
    const fSharp = model.generate({ seed: 1, lengthSeconds: 20, temperature: 0.8, conditions: { keyPreset: { tonic: 6, mode: 'major' } } });
    expect(c.sequence.notes.length).toBeGreaterThan(20);
    console.log('SHARE', whiteShare(c.sequence), whiteShare(fSharp.sequence));
    expect(whiteShare(c.sequence)).toBeGreaterThan(0.8);
    // F# major has two white keys (B, E#) out of seven.
    expect(whiteShare(fSharp.sequence)).toBeLessThan(0.5);
  });

  it('plays more notes per second for a higher density', () => {
    const key = { tonic: 0, mode: 'major' as const };
    const slow = model.generate({ seed: 3, lengthSeconds: 20, conditions: { keyPreset: key, density: 2 } });
    const fast = model.generate({ seed: 3, lengthSeconds: 20, conditions: { keyPreset: key, density: 8 } });
    console.log('DENS', fast.sequence.notes.length / fast.seconds, slow.sequence.notes.length / slow.seconds);
    expect(fast.sequence.notes.length / fast.seconds).toBeGreaterThan((2 * slow.sequence.notes.length) / slow.seconds);
  });

  it('follows conditions that change over time', () => {
    const out = model.generate({
      seed: 4,
      lengthSeconds: 30,
      temperature: 0.8,
      conditions: { density: 8, timeline: [{ atSeconds: 0, keyPreset: { tonic: 0, mode: 'major' } }, { atSeconds: 15, keyPreset: { tonic: 6, mode: 'major' } }] },
    });
    const ppqSeconds = (tick: number): number => (tick / out.sequence.ppq) * 0.5;
    const first = out.sequence.notes.filter((n) => ppqSeconds(n.startTick) < 13);
    const second = out.sequence.notes.filter((n) => ppqSeconds(n.startTick) > 17);
    console.log('TL', whiteShare({ ...out.sequence, notes: first }), whiteShare({ ...out.sequence, notes: second }), first.length, second.length);
    expect(whiteShare({ ...out.sequence, notes: first })).toBeGreaterThan(0.8);
    expect(whiteShare({ ...out.sequence, notes: second })).toBeLessThan(0.5);
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
