// Musical features of a NoteSequence: pitch-class histogram, pitch statistics, density, polyphony, key; plus conditioning helpers.
import { InvalidArgumentError } from '../../shared/errors';
import { sequenceEndTick, TempoMap, type Note, type NoteSequence } from '../../shared/song';
import type { MidiNote } from '../../shared/units';
import { KEY_PROFILES, pearson, type KeyProfileName } from '../../shared/keyFinding';

export type HistogramWeight = 'duration' | 'count';
export type Mode = 'major' | 'minor';
export type { KeyProfileName };
export { KEY_PROFILES };

export const PITCH_CLASS_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;

/** Performance RNN's note-density bins (notes per second): bin i holds densities in [edge i, edge i+1). */
export const NOTE_DENSITY_BIN_EDGES = [0, 1, 2, 4, 8, 16, 32, 64] as const;

export interface KeyEstimate {
  /** Pitch class of the tonic, 0 = C. */
  tonic: number;
  mode: Mode;
  /** Pearson correlation of the histogram with the winning key's profile, -1..1. */
  correlation: number;
  /** e.g. "A minor". */
  name: string;
}

export interface PitchStats {
  mean: number;
  min: MidiNote;
  max: MidiNote;
  /** max - min, in semitones. */
  range: number;
}

export interface Polyphony {
  /** Time-weighted mean number of sounding notes over the time when at least one sounds. */
  mean: number;
  max: number;
}

function pitched(seq: NoteSequence): Note[] {
  return seq.notes.filter((n) => !seq.tracks[n.track]?.isDrum);
}

/** 12 bins, C first, summing to 1 (all zeros when there are no pitched notes). Duration weights are in seconds. */
export function pitchClassHistogram(seq: NoteSequence, weight: HistogramWeight = 'duration'): number[] {
  const h = new Array<number>(12).fill(0);
  const tempo = TempoMap.of(seq);
  for (const n of pitched(seq)) {
    const w = weight === 'count' ? 1 : tempo.toSeconds(n.endTick) - tempo.toSeconds(n.startTick);
    h[n.pitch % 12] = h[n.pitch % 12]! + w;
  }
  let total = h.reduce((a, b) => a + b, 0);
  if (total === 0 && weight === 'duration') {
    // Only zero-length notes: fall back to counting them.
    return pitched(seq).length > 0 ? pitchClassHistogram(seq, 'count') : h;
  }
  if (total === 0) total = 1;
  return h.map((x) => x / total);
}

/** Undefined when the sequence has no pitched notes. */
export function pitchStats(seq: NoteSequence): PitchStats | undefined {
  const notes = pitched(seq);
  if (notes.length === 0) return undefined;
  let sum = 0;
  let min = 127;
  let max = 0;
  for (const n of notes) {
    sum += n.pitch;
    if (n.pitch < min) min = n.pitch;
    if (n.pitch > max) max = n.pitch;
  }
  return { mean: sum / notes.length, min, max, range: max - min };
}

/** Pitched notes per second, over the span from the first onset to the last release. */
export function noteDensity(seq: NoteSequence): number {
  const notes = pitched(seq);
  if (notes.length === 0) return 0;
  const tempo = TempoMap.of(seq);
  let first = Infinity;
  for (const n of notes) if (n.startTick < first) first = n.startTick;
  const span = tempo.toSeconds(sequenceEndTick({ ...seq, notes })) - tempo.toSeconds(first);
  return span > 0 ? notes.length / span : 0;
}

export function polyphony(seq: NoteSequence): Polyphony {
  const events: [tick: number, delta: number][] = [];
  for (const n of pitched(seq)) {
    if (n.endTick <= n.startTick) continue;
    events.push([n.startTick, 1], [n.endTick, -1]);
  }
  // Releases before onsets at one tick, so back-to-back notes do not count as overlapping.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const tempo = TempoMap.of(seq);
  let sounding = 0;
  let max = 0;
  let weighted = 0;
  let soundingTime = 0;
  let prev = 0;
  for (const [tick, delta] of events) {
    if (sounding > 0) {
      const dt = tempo.toSeconds(tick) - tempo.toSeconds(prev);
      weighted += sounding * dt;
      soundingTime += dt;
    }
    sounding += delta;
    if (sounding > max) max = sounding;
    prev = tick;
  }
  return { mean: soundingTime > 0 ? weighted / soundingTime : 0, max };
}

const rotate = (profile: readonly number[], tonic: number): number[] => profile.map((_, i) => profile[(i - tonic + 12) % 12]!);

export function keyName(tonic: number, mode: Mode): string {
  return `${PITCH_CLASS_NAMES[tonic]} ${mode}`;
}

/**
 * Krumhansl-Schmuckler key finding: correlates a pitch-class histogram (or a sequence's duration-weighted one)
 * with the 24 rotated major/minor profiles and returns the best. Undefined when there is nothing to judge.
 */
export function estimateKey(input: NoteSequence | readonly number[], profile: KeyProfileName = 'albrecht-shanahan'): KeyEstimate | undefined {
  const histogram = Array.isArray(input) ? (input as readonly number[]) : pitchClassHistogram(input as NoteSequence);
  if (histogram.length !== 12) throw new InvalidArgumentError(`a pitch-class histogram has 12 bins, got ${histogram.length}`);
  if (!histogram.some((x) => x > 0)) return undefined;
  let best: KeyEstimate | undefined;
  for (const mode of ['major', 'minor'] as const) {
    for (let tonic = 0; tonic < 12; tonic++) {
      const r = pearson(histogram, rotate(KEY_PROFILES[profile][mode], tonic));
      if (!best || r > best.correlation) best = { tonic, mode, correlation: r, name: keyName(tonic, mode) };
    }
  }
  return best;
}

/**
 * The typical pitch-class distribution of a major or minor key (Albrecht-Shanahan corpus profile, rotated to
 * the tonic, summing to 1): the conditional model's "key" presets.
 */
export function keyPresetHistogram(tonic: number, mode: Mode): number[] {
  if (!Number.isInteger(tonic) || tonic < 0 || tonic > 11) throw new InvalidArgumentError(`tonic must be a pitch class 0..11, got ${tonic}`);
  const h = rotate(KEY_PROFILES['albrecht-shanahan'][mode], tonic);
  const total = h.reduce((a, b) => a + b, 0);
  return h.map((x) => x / total);
}

/** Index 0..7 of the note-density bin a density (notes/s) falls into. */
export function noteDensityBin(notesPerSecond: number): number {
  if (!(notesPerSecond >= 0)) throw new InvalidArgumentError(`note density must be a number >= 0, got ${notesPerSecond}`);
  let bin = 0;
  for (let i = 1; i < NOTE_DENSITY_BIN_EDGES.length; i++) if (notesPerSecond >= NOTE_DENSITY_BIN_EDGES[i]!) bin = i;
  return bin;
}

/** The 8-way one-hot of a note density, as Performance RNN's density conditioning takes it. */
export function noteDensityOneHot(notesPerSecond: number): number[] {
  const v = new Array<number>(NOTE_DENSITY_BIN_EDGES.length).fill(0);
  v[noteDensityBin(notesPerSecond)] = 1;
  return v;
}

export interface SequenceFeatures {
  pitchClassHistogram: number[];
  pitch: PitchStats | undefined;
  noteDensity: number;
  noteDensityBin: number;
  polyphony: Polyphony;
  key: KeyEstimate | undefined;
}

/** All of the above at once, e.g. for a dataset browser or the conditional model's inputs. */
export function sequenceFeatures(seq: NoteSequence): SequenceFeatures {
  const histogram = pitchClassHistogram(seq);
  const density = noteDensity(seq);
  return {
    pitchClassHistogram: histogram,
    pitch: pitchStats(seq),
    noteDensity: density,
    noteDensityBin: noteDensityBin(density),
    polyphony: polyphony(seq),
    key: estimateKey(histogram),
  };
}
