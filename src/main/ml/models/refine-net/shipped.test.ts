// The shipped piano-refine-net on real pieces it never trained on (every valid-split piece under 16 KB), distorted by known factors: better than a DAW's best-grid quantize and velocity rule.
import * as tf from '@tensorflow/tfjs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoteSequence } from '../../../../shared/song';
import { importMidi } from '../../../music/midi/import';
import { selectBackend } from '../../backend';
import { loadCheckpoint } from '../../checkpoint';
import { assignWeights } from '../../train/loop';
import { RefineNet } from './model';
import { evaluateRefine, ruleLevelsOf, type RefineEvaluation } from './polish';
import type { RefineCheckpointConfig } from './train';

const SHIPPED = fileURLToPath(new URL('../../../../../resources/models/piano-refine-net/checkpoint', import.meta.url));
const PIECES = fileURLToPath(new URL('../../../../../tests/fixtures/refine/', import.meta.url));
/** Two distortions of every piece, each IOI and each duration stretched by its own factor in 80-120%. */
const SEEDS = [1, 2];

let model: RefineNet;
let pieces: NoteSequence[];
let tensorsAtStart: number;
const results: RefineEvaluation[] = [];

beforeAll(async () => {
  await selectBackend('wasm');
  tensorsAtStart = tf.memory().numTensors;
  const ckpt = await loadCheckpoint(SHIPPED);
  model = new RefineNet((ckpt.config as RefineCheckpointConfig).model);
  assignWeights(model.allVariables(), ckpt.weights);
  pieces = [];
  for (const f of (await readdir(PIECES)).filter((x) => x.endsWith('.mid')).sort()) pieces.push(importMidi(new Uint8Array(await readFile(join(PIECES, f)))));
  // The rule's levels as the evaluation sets them: the mean velocity of the real pieces' top voice and of the rest.
  const levels = ruleLevelsOf(pieces);
  for (const seed of SEEDS) results.push(await evaluateRefine(model, pieces, seed, levels));
}, 120_000);

afterAll(() => {
  model.dispose();
  expect(tf.memory().numTensors).toBe(tensorsAtStart);
});

describe('the shipped Refine Net on pieces it never saw', () => {
  it('restores durations and inter-onset intervals better than the best grid quantize, chosen knowing the answer', () => {
    for (const r of results) {
      expect(r.pieces).toBe(12);
      expect(r.duration.net.durationBeats).toBeLessThan(r.duration.quantize.durationBeats);
      expect(r.duration.net.durationBeats).toBeLessThan(r.duration.input.durationBeats);
      expect(r.duration.net.ioiBeats).toBeLessThan(r.duration.quantize.ioiBeats);
    }
  });

  it('gives velocities that follow the real ones, better than accenting the top voice', () => {
    for (const r of results) {
      expect(r.velocity.net.correlation).toBeGreaterThan(0.2);
      expect(r.velocity.net.correlation).toBeGreaterThan(r.velocity.rule.correlation);
    }
  });
});
