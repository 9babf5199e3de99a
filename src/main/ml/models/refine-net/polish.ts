// Polishing a NoteSequence with the Refine Net (durations, then velocities), the DAW baselines it is measured against, and the measures.
import * as tf from '@tensorflow/tfjs';
import type { NoteSequence } from '../../../../shared/song';
import { Rng } from '../../train/rng';
import { distort, FEATURE_SIZE, features, noteTable, restore, timingOf, withTiming, type NoteTable, type Timing } from './features';
import type { NetName, RefineNet } from './model';
import type { PolishParams } from './params';

/** Notes per pass of a net, and the context either side that is run but not kept (a bidirectional net needs both). */
const CHUNK = 512;
const CONTEXT = 32;

/** A net's outputs for every row of a piece, in overlapping chunks so that a long piece needs bounded memory. */
export async function applyNet(model: RefineNet, net: NetName, x: Float32Array, rows: number, progress?: (fraction: number) => void): Promise<Float32Array> {
  const width = net === 'duration' ? 2 : 1;
  const out = new Float32Array(rows * width);
  for (let start = 0; start < rows; start += CHUNK) {
    const from = Math.max(0, start - CONTEXT);
    const to = Math.min(rows, start + CHUNK + CONTEXT);
    const y = tf.tidy(() => model.apply(net, tf.tensor3d(x.subarray(from * FEATURE_SIZE, to * FEATURE_SIZE), [1, to - from, FEATURE_SIZE])));
    const values = (await y.data()) as Float32Array;
    y.dispose();
    const keepTo = Math.min(rows, start + CHUNK);
    out.set(values.subarray((start - from) * width, (keepTo - from) * width), start * width);
    progress?.(keepTo / rows);
  }
  return out;
}

export interface PolishResult {
  sequence: NoteSequence;
  /** How far the polish moved things: mean change of onsets and durations (beats) and of velocities. */
  report: { notes: number; onsetShiftBeats: number; durationChangeBeats: number; velocityChange: number };
}

/**
 * Durations first (IOIs and note lengths from the Duration Net), then velocities (the Velocity Net on the polished
 * timing), each optional, blended with the input by `strength`. Pitches, the set of notes and the order of notes
 * that start at different times are kept.
 */
export async function polish(model: RefineNet, seq: NoteSequence, p: PolishParams, progress?: (fraction: number, message: string) => void): Promise<PolishResult> {
  const table = noteTable(seq);
  const rows = table.order.length;
  const input = timingOf(table);
  let timing = input;
  if (rows === 0) return { sequence: seq, report: { notes: 0, onsetShiftBeats: 0, durationChangeBeats: 0, velocityChange: 0 } };
  if (p.durations) {
    const y = await applyNet(model, 'duration', features(table, input.onsets, input.iois, input.durations), rows, (f) => progress?.(0.5 * f, 'durations'));
    const ioi = Float32Array.from({ length: rows }, (_, r) => y[2 * r]!);
    const dur = Float32Array.from({ length: rows }, (_, r) => y[2 * r + 1]!);
    timing = restore(table, input, ioi, dur, p.strength);
  }
  let velocities: Float32Array | undefined;
  if (p.velocities) {
    const v = await applyNet(model, 'velocity', features(table, timing.onsets, timing.iois, timing.durations), rows, (f) => progress?.(0.5 + 0.5 * f, 'velocities'));
    velocities = Float32Array.from(v, (x, r) => (1 - p.strength) * table.velocity[r]! + p.strength * x * 127);
  }
  const sequence = withTiming(seq, table, timing, velocities);
  const beats = (t: number) => t / table.ppq;
  let shift = 0;
  let change = 0;
  let vel = 0;
  for (let r = 0; r < rows; r++) {
    shift += Math.abs(beats(timing.onsets[table.group[r]!]! - input.onsets[table.group[r]!]!));
    change += Math.abs(beats(timing.durations[r]! - input.durations[r]!));
    if (velocities) vel += Math.abs(velocities[r]! - table.velocity[r]!);
  }
  return { sequence, report: { notes: rows, onsetShiftBeats: shift / rows, durationChangeBeats: change / rows, velocityChange: vel / rows } };
}

/** Grids a DAW's quantize offers, in beats: whole beats down to 32nds, with triplets. */
export const QUANTIZE_GRIDS = [1, 1 / 2, 1 / 3, 1 / 4, 1 / 6, 1 / 8, 1 / 12, 1 / 16, 1 / 24, 1 / 32];

/** A DAW's quantize: onsets to the nearest grid line, durations to the nearest whole number of grid steps (at least one). */
export function quantize(t: NoteTable, timing: Timing, gridBeats: number): Timing {
  const g = gridBeats * t.ppq;
  const onsets = timing.onsets.map((o) => Math.round(o / g) * g);
  const iois = onsets.map((o, i) => (i + 1 < onsets.length ? onsets[i + 1]! - o : 0));
  return { onsets, iois, durations: timing.durations.map((d) => Math.max(1, Math.round(d / g)) * g) };
}

export interface TimingError {
  /** From the start of the piece: an error in one interval moves every later onset, so this grows with length. */
  onsetTicks: number;
  onsetBeats: number;
  /** Of each inter-onset interval: how well the rhythm itself is restored, whatever came before. */
  ioiBeats: number;
  durationTicks: number;
  durationBeats: number;
}

/** Mean absolute error of every note's onset and duration against the real timing. */
export function timingError(t: NoteTable, real: Timing, got: Timing): TimingError {
  let onset = 0;
  let duration = 0;
  let ioi = 0;
  const rows = t.order.length;
  for (let r = 0; r < rows; r++) {
    const g = t.group[r]!;
    onset += Math.abs(got.onsets[g]! - real.onsets[g]!);
    ioi += Math.abs(got.iois[g]! - real.iois[g]!);
    duration += Math.abs(got.durations[r]! - real.durations[r]!);
  }
  return { onsetTicks: onset / rows, onsetBeats: onset / rows / t.ppq, ioiBeats: ioi / rows / t.ppq, durationTicks: duration / rows, durationBeats: duration / rows / t.ppq };
}

/** Mean distance of onsets from the nearest sixteenth, in beats. */
export function gridDeviation(t: NoteTable, timing: Timing): number {
  const g = t.ppq / 4;
  return timing.onsets.reduce((s, o) => s + Math.abs(o - Math.round(o / g) * g), 0) / Math.max(1, timing.onsets.length) / t.ppq;
}

/** The grid with the least error for this piece, chosen knowing the answer: the strongest simple baseline. */
export function bestQuantize(t: NoteTable, real: Timing, input: Timing): { grid: number; timing: Timing; error: TimingError } {
  let best: { grid: number; timing: Timing; error: TimingError } | null = null;
  for (const grid of QUANTIZE_GRIDS) {
    const timing = quantize(t, input, grid);
    const error = timingError(t, real, timing);
    if (!best || error.ioiBeats + error.durationBeats < best.error.ioiBeats + best.error.durationBeats) best = { grid, timing, error };
  }
  return best!;
}

/** The velocity rule: the top note of each chord at one level, the others at another. */
export function ruleVelocities(t: NoteTable, top: number, rest: number): number[] {
  return t.order.map((_, r) => {
    const rows = t.groups[t.group[r]!]!.rows;
    return t.pitch[r] === Math.max(...rows.map((x) => t.pitch[x]!)) ? top : rest;
  });
}

export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (a[i]! - ma) * (b[i]! - mb);
    va += (a[i]! - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

/** Mean velocity of the top voice minus the mean of the rest (notes of chords and single notes alike). */
export function melodyGap(t: NoteTable, v: ArrayLike<number>): number {
  let top = 0;
  let nTop = 0;
  let rest = 0;
  let nRest = 0;
  t.order.forEach((_, r) => {
    const rows = t.groups[t.group[r]!]!.rows;
    if (t.pitch[r] === Math.max(...rows.map((x) => t.pitch[x]!))) {
      top += v[r]!;
      nTop++;
    } else {
      rest += v[r]!;
      nRest++;
    }
  });
  return (nTop ? top / nTop : 0) - (nRest ? rest / nRest : 0);
}

export interface RefineEvaluation {
  pieces: number;
  notes: number;
  duration: { input: TimingError; quantize: TimingError & { grids: Record<string, number> }; net: TimingError };
  gridDeviationBeats: { real: number; input: number; net: number };
  velocity: { rule: { mae: number; correlation: number }; net: { mae: number; correlation: number }; melodyGap: { real: number; rule: number; net: number }; ruleLevels: { top: number; rest: number } };
}

/**
 * The measures of the issue on real pieces: their timing distorted (seeded) as in training, restored by the net and
 * by the best grid quantize; their velocities predicted from equal ones by the net and by the rule.
 */
export async function evaluateRefine(model: RefineNet, sequences: readonly NoteSequence[], seed: number, levels: { top: number; rest: number }, progress?: (f: number) => void): Promise<RefineEvaluation> {
  const acc = { input: zero(), quantize: zero(), net: zero() };
  const grids: Record<string, number> = {};
  const dev = { real: 0, input: 0, net: 0 };
  const realV: number[] = [];
  const netV: number[] = [];
  const ruleV: number[] = [];
  const gaps = { real: 0, rule: 0, net: 0 };
  let notes = 0;
  let counted = 0;
  for (let i = 0; i < sequences.length; i++) {
    const seq = sequences[i]!;
    const t = noteTable(seq);
    const rows = t.order.length;
    if (rows < 2) continue;
    counted++;
    const real = timingOf(t);
    const input = distort(t, new Rng(seed + i));
    const y = await applyNet(model, 'duration', features(t, input.onsets, input.iois, input.durations), rows);
    const net = restore(t, input, Float32Array.from({ length: rows }, (_, r) => y[2 * r]!), Float32Array.from({ length: rows }, (_, r) => y[2 * r + 1]!), 1);
    const q = bestQuantize(t, real, input);
    grids[fraction(q.grid)] = (grids[fraction(q.grid)] ?? 0) + 1;
    add(acc.input, timingError(t, real, input), rows);
    add(acc.quantize, q.error, rows);
    add(acc.net, timingError(t, real, net), rows);
    dev.real += gridDeviation(t, real) * rows;
    dev.input += gridDeviation(t, input) * rows;
    dev.net += gridDeviation(t, net) * rows;
    const v = await applyNet(model, 'velocity', features(t, real.onsets, real.iois, real.durations), rows);
    const nv = Array.from(v, (x) => x * 127);
    const rv = ruleVelocities(t, levels.top, levels.rest);
    realV.push(...t.velocity);
    netV.push(...nv);
    ruleV.push(...rv);
    gaps.real += melodyGap(t, t.velocity) * rows;
    gaps.rule += melodyGap(t, rv) * rows;
    gaps.net += melodyGap(t, nv) * rows;
    notes += rows;
    progress?.((i + 1) / sequences.length);
  }
  const mean = (e: TimingError): TimingError => ({ onsetTicks: e.onsetTicks / notes, onsetBeats: e.onsetBeats / notes, ioiBeats: e.ioiBeats / notes, durationTicks: e.durationTicks / notes, durationBeats: e.durationBeats / notes });
  const mae = (v: number[]) => v.reduce((s, x, i) => s + Math.abs(x - realV[i]!), 0) / Math.max(1, v.length);
  return {
    pieces: counted,
    notes,
    duration: { input: mean(acc.input), quantize: { ...mean(acc.quantize), grids }, net: mean(acc.net) },
    gridDeviationBeats: { real: dev.real / notes, input: dev.input / notes, net: dev.net / notes },
    velocity: {
      rule: { mae: mae(ruleV), correlation: correlation(ruleV, realV) },
      net: { mae: mae(netV), correlation: correlation(netV, realV) },
      melodyGap: { real: gaps.real / notes, rule: gaps.rule / notes, net: gaps.net / notes },
      ruleLevels: levels,
    },
  };
}

function zero(): TimingError {
  return { onsetTicks: 0, onsetBeats: 0, ioiBeats: 0, durationTicks: 0, durationBeats: 0 };
}

function add(into: TimingError, e: TimingError, weight: number): void {
  into.onsetTicks += e.onsetTicks * weight;
  into.onsetBeats += e.onsetBeats * weight;
  into.ioiBeats += e.ioiBeats * weight;
  into.durationTicks += e.durationTicks * weight;
  into.durationBeats += e.durationBeats * weight;
}

function fraction(beats: number): string {
  return beats === 1 ? '1 beat' : `1/${Math.round(1 / beats)} beat`;
}

/** The rule's two levels from real pieces: the mean velocity of their top voice and of the rest. */
export function ruleLevelsOf(sequences: readonly NoteSequence[]): { top: number; rest: number } {
  let top = 0;
  let nTop = 0;
  let rest = 0;
  let nRest = 0;
  for (const seq of sequences) {
    const t = noteTable(seq);
    t.order.forEach((_, r) => {
      const rows = t.groups[t.group[r]!]!.rows;
      if (t.pitch[r] === Math.max(...rows.map((x) => t.pitch[x]!))) {
        top += t.velocity[r]!;
        nTop++;
      } else {
        rest += t.velocity[r]!;
        nRest++;
      }
    });
  }
  return { top: nTop ? Math.round(top / nTop) : 80, rest: nRest ? Math.round(rest / nRest) : 64 };
}
