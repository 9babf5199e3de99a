// The key of a piece: its key signature when it has one, else the Krumhansl-Schmuckler estimate from its notes.
import type { KeyMode, NoteSequence } from './song';

export type KeyProfileName = 'krumhansl-kessler' | 'temperley' | 'albrecht-shanahan';

/** Key profiles, index 0 = tonic. Krumhansl & Kessler 1982 (probe-tone ratings); Temperley 2007 (Kostka-Payne
 * corpus); Albrecht & Shanahan 2013 (a corpus distribution that sums to 1, and better on minor keys). */
export const KEY_PROFILES: Record<KeyProfileName, Record<'major' | 'minor', readonly number[]>> = {
  'krumhansl-kessler': {
    major: [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88],
    minor: [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17],
  },
  temperley: {
    major: [0.748, 0.06, 0.488, 0.082, 0.67, 0.46, 0.096, 0.715, 0.104, 0.366, 0.057, 0.4],
    minor: [0.712, 0.084, 0.474, 0.618, 0.049, 0.46, 0.105, 0.747, 0.404, 0.067, 0.133, 0.33],
  },
  'albrecht-shanahan': {
    major: [0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.08, 0.008, 0.081],
    minor: [0.22, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052],
  },
};

export interface FoundKey {
  tonic: number;
  mode: KeyMode;
  /** Where the key came from: the piece's own key signature, or an estimate from its notes. */
  from: 'signature' | 'estimate';
}

export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]! - ma;
    const y = b[i]! - mb;
    num += x * y;
    da += x * x;
    db += y * y;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : 0;
}

/** The best of the 24 major and minor keys for a pitch-class histogram; null when it is empty. */
export function bestKey(histogram: readonly number[], profile: KeyProfileName = 'albrecht-shanahan'): { tonic: number; mode: 'major' | 'minor'; correlation: number } | null {
  if (!histogram.some((x) => x > 0)) return null;
  let best: { tonic: number; mode: 'major' | 'minor'; correlation: number } | null = null;
  for (const mode of ['major', 'minor'] as const) {
    const p = KEY_PROFILES[profile][mode];
    for (let tonic = 0; tonic < 12; tonic++) {
      const r = pearson(histogram, p.map((_, i) => p[(i - tonic + 12) % 12]!));
      if (!best || r > best.correlation) best = { tonic, mode, correlation: r };
    }
  }
  return best;
}

/** Pitch-class weights by sounding length in ticks (drums left out); zero-length notes count one tick. */
export function tickHistogram(seq: Pick<NoteSequence, 'notes' | 'tracks'>): number[] {
  const h = new Array<number>(12).fill(0);
  for (const n of seq.notes) {
    if (seq.tracks[n.track]?.isDrum) continue;
    h[((n.pitch % 12) + 12) % 12]! += Math.max(1, n.endTick - n.startTick);
  }
  return h;
}

/** The piece's key: the first key signature it carries, else the estimate from its notes; null for no notes and no signature. */
export function sequenceKey(seq: Pick<NoteSequence, 'notes' | 'tracks' | 'keySignatures'>): FoundKey | null {
  const sig = [...seq.keySignatures].sort((a, b) => a.tick - b.tick)[0];
  if (sig) return { tonic: sig.tonic, mode: sig.mode, from: 'signature' };
  const k = bestKey(tickHistogram(seq));
  return k ? { tonic: k.tonic, mode: k.mode, from: 'estimate' } : null;
}
