// The Refine Net: it trains on real fixture pieces, polishing never adds, drops, re-pitches or reorders notes (property tests), and bad input is refused.
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptySequence, type NoteSequence } from '../../../../shared/song';
import { importMidi } from '../../../music/midi/import';
import { selectBackend } from '../../backend';
import { Rng } from '../../train/rng';
import { distort, noteTable, restore, timingOf } from './features';
import { RefineNet } from './model';
import { trainSchema } from './params';
import { bestQuantize, correlation, melodyGap, polish, quantize, ruleVelocities, timingError } from './polish';
import { pieceOf, trainRefineNet } from './train';

const FIXTURES = fileURLToPath(new URL('../../../../../tests/fixtures/charrnn/', import.meta.url));
let pieces: NoteSequence[];

beforeAll(async () => {
  await selectBackend('wasm');
  pieces = [];
  for (const f of (await readdir(FIXTURES)).filter((x) => x.endsWith('.mid')).sort()) pieces.push(importMidi(new Uint8Array(await readFile(join(FIXTURES, f)))));
});

/** Random note sequences: chords, repeated notes, long and short, on and off the grid. */
const sequences = fc
  .array(fc.record({ pitch: fc.integer({ min: 21, max: 108 }), start: fc.integer({ min: 0, max: 4000 }), length: fc.integer({ min: 1, max: 2000 }), velocity: fc.integer({ min: 1, max: 127 }) }), { minLength: 1, maxLength: 120 })
  .map((notes) => {
    const seq = emptySequence();
    seq.notes = notes.map((n) => ({ pitch: n.pitch, velocity: n.velocity, startTick: n.start, endTick: n.start + n.length, track: 0 })).sort((a, b) => a.startTick - b.startTick || a.pitch - b.pitch);
    return seq;
  });

describe('polishing', () => {
  it('keeps every note and its pitch, and the order of notes that start at different times (property)', async () => {
    const model = new RefineNet({ units: 8, initSeed: 3 });
    await fc.assert(
      fc.asyncProperty(sequences, fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), fc.boolean(), async (seq, strength, durations, velocities) => {
        const { sequence: out } = await polish(model, seq, { durations, velocities, strength });
        expect(out.notes).toHaveLength(seq.notes.length);
        expect(out.notes.map((n) => n.pitch).sort((a, b) => a - b)).toEqual(seq.notes.map((n) => n.pitch).sort((a, b) => a - b));
        for (const n of out.notes) {
          expect(n.endTick).toBeGreaterThan(n.startTick);
          expect(n.velocity).toBeGreaterThanOrEqual(1);
          expect(n.velocity).toBeLessThanOrEqual(127);
        }
        // Onset groups (chords) in, onset groups out, in the same order with the same pitches.
        const groups = (s: NoteSequence) => {
          const t = noteTable(s);
          return t.groups.map((g) => g.rows.map((r) => t.pitch[r]!).sort((a, b) => a - b).join(','));
        };
        expect(groups(out)).toEqual(groups(seq));
        if (!durations) expect(out.notes.map((n) => [n.startTick, n.endTick])).toEqual(seq.notes.map((n) => [n.startTick, n.endTick]));
        if (!velocities) expect(out.notes.map((n) => n.velocity).sort()).toEqual(seq.notes.map((n) => n.velocity).sort());
      }),
      { numRuns: 40 },
    );
    model.dispose();
  });

  it('changes nothing at strength 0, and polishes an empty sequence to an empty one', async () => {
    const model = new RefineNet({ units: 8, initSeed: 4 });
    const seq = pieces[0]!;
    const { sequence } = await polish(model, seq, { durations: true, velocities: true, strength: 0 });
    const key = (s: NoteSequence) => s.notes.map((n) => `${n.pitch}@${n.startTick}-${n.endTick}v${n.velocity}`).sort();
    expect(key(sequence)).toEqual(key(seq));
    expect((await polish(model, emptySequence(), { durations: true, velocities: true, strength: 1 })).sequence.notes).toEqual([]);
    model.dispose();
  });
});

describe('training and the baselines', () => {
  it('trains both nets on real pieces, lowering both losses, and frees its tensors', async () => {
    const model = new RefineNet({ units: 16, initSeed: 1 });
    const start = tf.memory().numTensors;
    const valid: Record<string, number>[] = [];
    const losses: Record<string, number>[] = [];
    const p = trainSchema.parse({ units: 16, steps: 80, batch: 8, window: 32, lr: 1e-2, validEvery: 40, checkpointEvery: 1000 });
    await trainRefineNet(model, { train: pieces.slice(0, 5).map(pieceOf), valid: pieces.slice(5).map(pieceOf) }, p, {
      onProgress: (e) => {
        losses.push(e.metrics);
        if (e.valid) valid.push(e.valid);
      },
    });
    expect(tf.memory().numTensors).toBe(start);
    expect(losses).toHaveLength(80);
    const mean = (xs: Record<string, number>[], k: string) => xs.reduce((a, x) => a + x[k]!, 0) / xs.length;
    for (const k of ['duration', 'velocity']) expect(mean(losses.slice(-20), k), k).toBeLessThan(mean(losses.slice(0, 20), k));
    expect(valid).toHaveLength(2);
    for (const v of valid) expect(Number.isFinite(v.duration! + v.velocity!)).toBe(true);
    model.dispose();
  }, 60_000);

  it('restores a known distortion exactly when told the true corrections, and measures it against the grid quantize', () => {
    const t = noteTable(pieces[0]!);
    const real = timingOf(t);
    const input = distort(t, new Rng(5));
    const groups = t.group;
    const ioi = Float64Array.from(t.order, (_, r) => (real.iois[groups[r]!]! > 0 ? Math.log2(real.iois[groups[r]!]! / input.iois[groups[r]!]!) : 0));
    const dur = Float64Array.from(t.order, (_, r) => Math.log2(real.durations[r]! / input.durations[r]!));
    const restored = restore(t, input, ioi, dur, 1);
    const e = timingError(t, real, restored);
    expect(e.onsetTicks).toBeLessThan(1e-6);
    expect(e.durationTicks).toBeLessThan(1e-6);
    // The distortion itself is far off, and the best grid quantize only part of the way back.
    const before = timingError(t, real, input);
    const q = bestQuantize(t, real, input);
    expect(before.onsetBeats).toBeGreaterThan(0.1);
    expect(q.error.durationBeats).toBeLessThan(before.durationBeats);
    expect(quantize(t, real, 1 / 4).onsets.every((o) => o % (t.ppq / 4) === 0)).toBe(true);
  });

  it('scores velocities: the rule accents the top voice, and correlation is 1 for a perfect guess', () => {
    const t = noteTable(pieces[1]!);
    const rule = ruleVelocities(t, 90, 60);
    expect(melodyGap(t, rule)).toBeGreaterThan(0);
    expect(correlation(t.velocity, t.velocity)).toBeCloseTo(1);
    expect(correlation(t.velocity, t.velocity.map(() => 64))).toBeCloseTo(0, 9);
  });
});
