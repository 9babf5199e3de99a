// The one place that knows both the DCRNN's tensors and music: noise vectors from seeds, frame probabilities to notes, rolls to tensors.
import type { InterpolationMode } from '../../../../shared/noise';
import { emptySequence, type NoteSequence } from '../../../../shared/song';
import { fromPianoRoll } from '../../../music/pianoroll';
import { Rng } from '../../train/rng';
import { ROLL_LOW, ROLL_PITCHES, STEPS_PER_BAR } from './config';

/** Sixteenths at 120 bpm, in the 480-tick grid of studio sequences. */
export const STEP_TICKS = 120;
export const DEFAULT_VELOCITY = 80;

/** The noise vector of a seed: standard normal values, the same on every machine. */
export function noiseOfSeed(seed: number, size: number): Float32Array {
  const rng = new Rng(seed ^ 0x5eed);
  return Float32Array.from({ length: size }, () => rng.normal());
}

/** From a to b at t in 0..1: along the line, or along the great circle (the vectors' length kept). */
export function interpolate(a: Float32Array, b: Float32Array, t: number, mode: InterpolationMode): Float32Array {
  if (mode === 'linear') return a.map((x, i) => x + (b[i]! - x) * t);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  const omega = Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb || 1))));
  // Nearly parallel vectors: the line is the circle.
  if (Math.abs(Math.sin(omega)) < 1e-6) return interpolate(a, b, t, 'linear');
  const wa = Math.sin((1 - t) * omega) / Math.sin(omega);
  const wb = Math.sin(t * omega) / Math.sin(omega);
  return a.map((x, i) => wa * x + wb * b[i]!);
}

/**
 * Frames of probabilities [steps, 88] to a binary roll: a key is down where its probability reaches the threshold,
 * or, with a sampling generator, with that probability.
 */
export function binarize(probs: ArrayLike<number>, threshold: number, rng: Rng | null): Uint8Array {
  const out = new Uint8Array(probs.length);
  for (let i = 0; i < probs.length; i++) out[i] = (rng ? rng.next() < probs[i]! : probs[i]! >= threshold) ? 1 : 0;
  return out;
}

/** A binary roll [steps, 88] to notes: held keys join into one note; every note gets `velocity`. */
export function rollToSequence(data: Uint8Array, steps: number, velocity = DEFAULT_VELOCITY): NoteSequence {
  const seq = fromPianoRoll({ steps, pitches: ROLL_PITCHES, lowPitch: ROLL_LOW, data, kind: 'binary', step: { ticks: STEP_TICKS }, droppedNotes: 0 }, { velocity });
  return { ...emptySequence(), notes: seq.notes, tempos: [{ tick: 0, bpm: 120 }], timeSignatures: [{ tick: 0, numerator: 4, denominator: 4 }] };
}

/** Bar `bar` (0-based) of a roll [steps, 88]. */
export function barOf<T extends Uint8Array | Float32Array>(data: T, bar: number): T {
  return data.subarray(bar * STEPS_PER_BAR * ROLL_PITCHES, (bar + 1) * STEPS_PER_BAR * ROLL_PITCHES) as T;
}
