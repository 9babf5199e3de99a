// The Conditional Char-RNN's condition vector: pitch-class histogram, pitch mean and range, note density; from tokens or from a user's request.
import { InvalidArgumentError } from '../../../../shared/errors';
import type { ConditionSpec, ConditionTimelineEntry } from '../../../../shared/generation';
import { keyPresetHistogram, NOTE_DENSITY_BIN_EDGES, type Mode } from '../../../music/features';
import { NOTE_OFF_OFFSET, NOTE_ON_OFFSET, TIME_SHIFT_OFFSET, VELOCITY_OFFSET, DEFAULT_STEPS_PER_SECOND } from '../../../music/performance';

/** Performance RNN's density bins, read here as the centres the density input is spread between. */
const DENSITY_BINS = NOTE_DENSITY_BIN_EDGES;
/** 12 histogram bins, pitch mean, pitch range, 8 density bins. */
export const CONDITION_SIZE = 12 + 1 + 1 + DENSITY_BINS.length;

const HIST = 0;
const MEAN = 12;
const RANGE = 13;
const DENSITY = 14;
/** Windows shorter than this count as this long, so a chord alone does not read as 1000 notes/s. */
const MIN_WINDOW_SECONDS = 0.5;

/** What a window of music measures as; the human-scale form of a condition vector. */
export interface ConditionValues {
  /** 12 bins summing to 1, C first. */
  histogram: number[];
  /** Mean MIDI pitch of the note-ons. */
  pitchMean: number;
  /** Highest minus lowest pitch, in semitones. */
  pitchRange: number;
  /** Note-ons per second. */
  density: number;
}

/** Measures tokens[start, end): pitch classes, pitch mean and range of note-ons, and notes per second. */
export function measureTokens(tokens: ArrayLike<number>, start = 0, end = tokens.length): ConditionValues & { notes: number } {
  const histogram = new Array<number>(12).fill(0);
  let notes = 0;
  let sum = 0;
  let lo = 128;
  let hi = -1;
  let steps = 0;
  for (let i = start; i < end; i++) {
    const t = tokens[i]!;
    if (t < NOTE_OFF_OFFSET) {
      const pitch = t - NOTE_ON_OFFSET;
      histogram[pitch % 12]!++;
      notes++;
      sum += pitch;
      if (pitch < lo) lo = pitch;
      if (pitch > hi) hi = pitch;
    } else if (t >= TIME_SHIFT_OFFSET && t < VELOCITY_OFFSET) {
      steps += t - TIME_SHIFT_OFFSET + 1;
    }
  }
  const seconds = Math.max(MIN_WINDOW_SECONDS, steps / DEFAULT_STEPS_PER_SECOND);
  return {
    histogram: notes > 0 ? histogram.map((c) => c / notes) : new Array<number>(12).fill(1 / 12),
    pitchMean: notes > 0 ? sum / notes : 60,
    pitchRange: notes > 0 ? hi - lo : 0,
    density: notes / seconds,
    notes,
  };
}

/** Writes the condition vector of `values` into out[offset, offset + CONDITION_SIZE). */
export function encodeCondition(values: ConditionValues, out: Float32Array = new Float32Array(CONDITION_SIZE), offset = 0): Float32Array {
  // Centred and scaled to about -1..1 (a bin at its uniform share 1/12 reads 0), so that conditions weigh about
  // as much as the one-hot event in the first layer and are learned as quickly.
  for (let k = 0; k < 12; k++) out[offset + HIST + k] = (values.histogram[k] ?? 0) * 12 - 1;
  out[offset + MEAN] = (values.pitchMean - 64) / 24;
  out[offset + RANGE] = values.pitchRange / 48;
  densityBins(values.density, out, offset + DENSITY);
  return out;
}

/**
 * Spreads a density over the two nearest bins (linear in log2(1 + notes/s)), so that a density between bins,
 * e.g. from a hand moving smoothly, gives an input between theirs rather than a jump.
 */
function densityBins(density: number, out: Float32Array, offset: number): void {
  const x = Math.log2(1 + Math.max(0, density));
  const centres = DENSITY_BINS.map((d) => Math.log2(1 + d));
  for (let k = 0; k < centres.length; k++) out[offset + k] = 0;
  if (x >= centres[centres.length - 1]!) {
    out[offset + centres.length - 1] = 1;
    return;
  }
  for (let k = 0; k < centres.length - 1; k++) {
    const a = centres[k]!;
    const b = centres[k + 1]!;
    if (x >= a && x <= b) {
      const w = (x - a) / (b - a);
      out[offset + k] = 1 - w;
      out[offset + k + 1] = w;
      return;
    }
  }
}

/**
 * Resolves a user's condition request over the model's defaults: an explicit histogram wins over a key preset,
 * and anything left out takes the training data's typical value.
 */
export function resolveCondition(spec: ConditionSpec | undefined, defaults: ConditionValues): ConditionValues {
  let histogram = defaults.histogram;
  if (spec?.keyPreset) histogram = keyPresetHistogram(spec.keyPreset.tonic, spec.keyPreset.mode satisfies Mode);
  if (spec?.histogram) histogram = normalizeHistogram(spec.histogram);
  return {
    histogram,
    pitchMean: spec?.pitchMean ?? defaults.pitchMean,
    pitchRange: spec?.pitchRange ?? defaults.pitchRange,
    density: spec?.density ?? defaults.density,
  };
}

function normalizeHistogram(h: readonly number[]): number[] {
  if (h.length !== 12) throw new InvalidArgumentError(`a pitch-class histogram has 12 bins, got ${h.length}`);
  if (h.some((x) => !(x >= 0))) throw new InvalidArgumentError(`histogram bins must be >= 0, got [${h.join(', ')}]`);
  const total = h.reduce((a, b) => a + b, 0);
  if (total <= 0) throw new InvalidArgumentError('a histogram must have at least one bin above 0');
  return h.map((x) => x / total);
}

/**
 * Conditions that change over time: the base request, then each timeline entry from its time on
 * (later entries override the fields they set). Entries may come in any order.
 */
export class ConditionSchedule {
  private readonly entries: ConditionTimelineEntry[];
  private readonly cache = new Map<number, Float32Array>();

  constructor(
    private readonly base: ConditionSpec | undefined,
    timeline: readonly ConditionTimelineEntry[] | undefined,
    private readonly defaults: ConditionValues,
  ) {
    this.entries = [...(timeline ?? [])].sort((a, b) => a.atSeconds - b.atSeconds);
  }

  /** The condition vector in force at `seconds`. */
  at(seconds: number): Float32Array {
    let active = 0;
    while (active < this.entries.length && this.entries[active]!.atSeconds <= seconds) active++;
    const hit = this.cache.get(active);
    if (hit) return hit;
    let spec: ConditionSpec = { ...this.base };
    for (let i = 0; i < active; i++) {
      const { atSeconds: _at, ...fields } = this.entries[i]!;
      spec = { ...spec, ...fields };
      // A key preset given later replaces an earlier explicit histogram.
      if (fields.keyPreset && !fields.histogram) delete spec.histogram;
    }
    const vector = encodeCondition(resolveCondition(spec, this.defaults));
    this.cache.set(active, vector);
    return vector;
  }
}
