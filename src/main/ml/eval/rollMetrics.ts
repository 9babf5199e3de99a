// MuseGAN's and MusPy's measures on binary piano rolls (empty bars, pitch classes per bar, qualified notes, polyphony, scale, tonal distance) and diversity across rolls.

/** A binary roll: row-major [step][pitch], 1 where a key is down. */
export interface BinaryRoll {
  steps: number;
  pitches: number;
  /** The MIDI pitch of column 0. */
  lowPitch: number;
  data: Uint8Array;
}

export interface RollMeasures {
  /** Share of bars with no note at all. */
  emptyBarRate: number;
  /** Distinct pitch classes sounding per non-empty bar, on average. */
  pitchClassesPerBar: number;
  /** Share of notes (runs of a held key) lasting at least `qualifiedSteps` steps. */
  qualifiedNoteRate: number;
  /** Keys down at once, on average over the steps where any is. */
  polyphony: number;
  /** Share of sounding cells whose pitch class is in the scale; absent without a key. */
  inScaleRate?: number;
  /** Mean distance between the tonal centroids of neighbouring non-empty bars (Harte et al. 2006). */
  tonalDistance: number;
  notes: number;
}

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const MINOR = [0, 2, 3, 5, 7, 8, 10];

/** The tonal centroid of a chroma vector: fifths, minor thirds and major thirds as three circles (r = 1, 1, 0.5). */
export function tonalCentroid(chroma: ArrayLike<number>): number[] {
  let total = 0;
  for (let k = 0; k < 12; k++) total += chroma[k]!;
  const out = [0, 0, 0, 0, 0, 0];
  if (total <= 0) return out;
  for (let k = 0; k < 12; k++) {
    const w = chroma[k]! / total;
    out[0]! += w * Math.sin((k * 7 * Math.PI) / 6);
    out[1]! += w * Math.cos((k * 7 * Math.PI) / 6);
    out[2]! += w * Math.sin((k * 3 * Math.PI) / 2);
    out[3]! += w * Math.cos((k * 3 * Math.PI) / 2);
    out[4]! += 0.5 * w * Math.sin((k * 2 * Math.PI) / 3);
    out[5]! += 0.5 * w * Math.cos((k * 2 * Math.PI) / 3);
  }
  return out;
}

export function measureRoll(roll: BinaryRoll, options: { stepsPerBar: number; qualifiedSteps?: number; key?: { tonic: number; mode: 'major' | 'minor' } }): RollMeasures {
  const { steps, pitches, lowPitch, data } = roll;
  const bars = Math.max(1, Math.ceil(steps / options.stepsPerBar));
  const qualified = options.qualifiedSteps ?? 3;
  let emptyBars = 0;
  let pcSum = 0;
  let nonEmpty = 0;
  const centroids: number[][] = [];
  for (let b = 0; b < bars; b++) {
    const chroma = new Float64Array(12);
    let any = false;
    for (let s = b * options.stepsPerBar; s < Math.min(steps, (b + 1) * options.stepsPerBar); s++) {
      for (let p = 0; p < pitches; p++) {
        if (!data[s * pitches + p]) continue;
        any = true;
        chroma[(lowPitch + p) % 12]! += 1;
      }
    }
    if (!any) {
      emptyBars++;
      continue;
    }
    nonEmpty++;
    pcSum += chroma.filter((c) => c > 0).length;
    centroids.push(tonalCentroid(chroma));
  }
  let notes = 0;
  let longNotes = 0;
  for (let p = 0; p < pitches; p++) {
    let run = 0;
    for (let s = 0; s <= steps; s++) {
      if (s < steps && data[s * pitches + p]) run++;
      else if (run > 0) {
        notes++;
        if (run >= qualified) longNotes++;
        run = 0;
      }
    }
  }
  let sounding = 0;
  let activeSteps = 0;
  let inScale = 0;
  const scale = options.key ? new Set((options.key.mode === 'major' ? MAJOR : MINOR).map((d) => (d + options.key!.tonic) % 12)) : null;
  for (let s = 0; s < steps; s++) {
    let n = 0;
    for (let p = 0; p < pitches; p++) {
      if (!data[s * pitches + p]) continue;
      n++;
      if (scale?.has((lowPitch + p) % 12)) inScale++;
    }
    if (n > 0) activeSteps++;
    sounding += n;
  }
  let td = 0;
  for (let i = 1; i < centroids.length; i++) td += Math.hypot(...centroids[i]!.map((v, k) => v - centroids[i - 1]![k]!));
  const out: RollMeasures = {
    emptyBarRate: emptyBars / bars,
    pitchClassesPerBar: nonEmpty > 0 ? pcSum / nonEmpty : 0,
    qualifiedNoteRate: notes > 0 ? longNotes / notes : 0,
    polyphony: activeSteps > 0 ? sounding / activeSteps : 0,
    tonalDistance: centroids.length > 1 ? td / (centroids.length - 1) : 0,
    notes,
  };
  if (scale) out.inScaleRate = sounding > 0 ? inScale / sounding : 0;
  return out;
}

/** The measures averaged over several rolls (each roll weighs the same). */
export function meanMeasures(all: readonly RollMeasures[]): RollMeasures {
  const keys = ['emptyBarRate', 'pitchClassesPerBar', 'qualifiedNoteRate', 'polyphony', 'tonalDistance', 'notes', 'inScaleRate'] as const;
  const out: Record<string, number> = {};
  for (const k of keys) {
    const values = all.map((m) => m[k]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (values.length > 0) out[k] = values.reduce((a, b) => a + b, 0) / values.length;
  }
  return out as unknown as RollMeasures;
}

/**
 * Mean pairwise distance between rolls of one shape: the share of cells that differ. A generator collapsed onto one
 * output scores 0; real segments of music score their own value, the reference.
 */
export function diversity(rolls: readonly Uint8Array[]): number {
  if (rolls.length < 2) return 0;
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < rolls.length; i++) {
    for (let j = i + 1; j < rolls.length; j++) {
      const a = rolls[i]!;
      const b = rolls[j]!;
      let differ = 0;
      for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) differ++;
      total += differ / a.length;
      pairs++;
    }
  }
  return total / pairs;
}
