// Evaluation metrics of the study and its peers as pure functions: BLEU, cross-entropy/perplexity, and MusPy-style descriptors of a NoteSequence.
import { InvalidArgumentError } from '../../../shared/errors';
import type { KeyMode, Note, NoteSequence } from '../../../shared/song';

/** A token sequence: event ids, pitches or ABC symbols. */
export type Tokens = ArrayLike<number | string>;

export interface BleuResult {
  /** bleu[k] is BLEU-(k+1): brevity penalty times the geometric mean of precisions 1..k+1. */
  bleu: number[];
  /** Modified (clipped) n-gram precisions, n = 1..maxOrder. */
  precisions: number[];
  brevityPenalty: number;
  hypothesisLength: number;
  /** Sum over hypotheses of the reference length closest to each hypothesis's length. */
  referenceLength: number;
}

/** Counts of the n-grams of one order; keys join the tokens with a separator no token id contains. */
function ngramCounts(tokens: Tokens, n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    let key = String(tokens[i]);
    for (let k = 1; k < n; k++) key += '\u0001' + String(tokens[i + k]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** For each n-gram, the most times it occurs in any single reference: the clip of Papineni et al. */
function maxReferenceCounts(references: readonly Tokens[], n: number): Map<string, number> {
  const max = new Map<string, number>();
  for (const ref of references) {
    for (const [key, c] of ngramCounts(ref, n)) if (c > (max.get(key) ?? 0)) max.set(key, c);
  }
  return max;
}

/** The reference length closest to the hypothesis length, the shorter one on a tie (as NLTK does). */
function closestLength(sortedLengths: readonly number[], length: number): number {
  let best = sortedLengths[0] ?? 0;
  for (const r of sortedLengths) if (Math.abs(r - length) < Math.abs(best - length)) best = r;
  return best;
}

function brevityPenalty(hypothesisLength: number, referenceLength: number): number {
  if (hypothesisLength === 0) return 0;
  return hypothesisLength > referenceLength ? 1 : Math.exp(1 - referenceLength / hypothesisLength);
}

/** BLEU-1..maxOrder from precisions: zero as soon as one precision up to that order is zero. */
function cumulativeBleu(precisions: readonly number[], bp: number): number[] {
  const out: number[] = [];
  let logSum = 0;
  for (let k = 0; k < precisions.length; k++) {
    logSum += Math.log(precisions[k]!);
    out.push(bp * Math.exp(logSum / (k + 1)));
  }
  return out;
}

function checkOrder(maxOrder: number): void {
  if (!Number.isInteger(maxOrder) || maxOrder < 1) throw new InvalidArgumentError(`BLEU max order must be a positive integer, got ${maxOrder}`);
}

/**
 * Corpus-level BLEU (Papineni et al. 2002, as NLTK's corpus_bleu): clipped n-gram counts and lengths are summed
 * over all hypotheses before the precisions and the brevity penalty are taken. references[i] are the references
 * of hypotheses[i].
 * @throws InvalidArgumentError when the two lists differ in length, a hypothesis has no reference, or maxOrder < 1.
 */
export function corpusBleu(hypotheses: readonly Tokens[], references: readonly (readonly Tokens[])[], maxOrder = 4): BleuResult {
  checkOrder(maxOrder);
  if (hypotheses.length !== references.length) {
    throw new InvalidArgumentError(`corpusBleu needs one reference list per hypothesis: ${hypotheses.length} hypotheses, ${references.length} lists`);
  }
  const matched = new Array<number>(maxOrder).fill(0);
  const total = new Array<number>(maxOrder).fill(0);
  let hypothesisLength = 0;
  let referenceLength = 0;
  hypotheses.forEach((hyp, i) => {
    const refs = references[i]!;
    if (refs.length === 0) throw new InvalidArgumentError(`hypothesis ${i} has no reference`);
    for (let n = 1; n <= maxOrder; n++) {
      const clip = maxReferenceCounts(refs, n);
      for (const [key, c] of ngramCounts(hyp, n)) {
        matched[n - 1]! += Math.min(c, clip.get(key) ?? 0);
        total[n - 1]! += c;
      }
    }
    hypothesisLength += hyp.length;
    referenceLength += closestLength(refs.map((r) => r.length).sort((a, b) => a - b), hyp.length);
  });
  const precisions = matched.map((m, k) => m / Math.max(1, total[k]!));
  const bp = brevityPenalty(hypothesisLength, referenceLength);
  return { bleu: cumulativeBleu(precisions, bp), precisions, brevityPenalty: bp, hypothesisLength, referenceLength };
}

/**
 * BLEU as SeqGAN reports it for generated music: each generated sequence is scored as one sentence against the
 * whole training set as its references, and the scores are averaged over the generated sequences.
 * 'epsilon' smoothing (NLTK's method1, used by the Texygen benchmark) replaces a zero match count by 0.1 so a
 * single missing 4-gram does not zero a sequence's score; 'none' is plain BLEU.
 * @returns mean BLEU-1..maxOrder (index k is BLEU-(k+1)); empty when there is no hypothesis.
 * @throws InvalidArgumentError for an empty reference set or maxOrder < 1.
 */
export function referenceSetBleu(
  hypotheses: readonly Tokens[],
  references: readonly Tokens[],
  options: { maxOrder?: number; smoothing?: 'none' | 'epsilon' } = {},
): number[] {
  const maxOrder = options.maxOrder ?? 4;
  checkOrder(maxOrder);
  if (references.length === 0) throw new InvalidArgumentError('referenceSetBleu needs at least one reference sequence');
  if (hypotheses.length === 0) return [];
  const epsilon = options.smoothing === 'epsilon' ? 0.1 : 0;
  // The clip table is built once for the whole reference set, so scoring many samples stays linear.
  const clips = Array.from({ length: maxOrder }, (_, k) => maxReferenceCounts(references, k + 1));
  const lengths = references.map((r) => r.length).sort((a, b) => a - b);
  const sums = new Array<number>(maxOrder).fill(0);
  for (const hyp of hypotheses) {
    const precisions = clips.map((clip, k) => {
      let matched = 0;
      let total = 0;
      for (const [key, c] of ngramCounts(hyp, k + 1)) {
        matched += Math.min(c, clip.get(key) ?? 0);
        total += c;
      }
      return (matched === 0 && total > 0 ? epsilon : matched) / Math.max(1, total);
    });
    const scores = cumulativeBleu(precisions, brevityPenalty(hyp.length, closestLength(lengths, hyp.length)));
    scores.forEach((s, k) => (sums[k]! += s));
  }
  return sums.map((s) => s / hypotheses.length);
}

/**
 * Mean negative log-likelihood in nats per event from per-step natural-log probabilities of the true events:
 * the "cross-entropy" of the study's table.
 * @throws InvalidArgumentError for no steps, or a log-probability that is NaN or above 0.
 */
export function meanNll(logProbs: ArrayLike<number>): number {
  if (logProbs.length === 0) throw new InvalidArgumentError('meanNll needs at least one log-probability');
  let sum = 0;
  for (let i = 0; i < logProbs.length; i++) {
    const lp = logProbs[i]!;
    // A little above zero is float round-off of log(1); more than that is a probability above 1.
    if (Number.isNaN(lp) || lp > 1e-6) throw new InvalidArgumentError(`log-probability at step ${i} must be <= 0, got ${lp}`);
    sum -= Math.min(0, lp);
  }
  return sum / logProbs.length;
}

/** Perplexity per event, exp(mean NLL in nats). */
export function perplexity(logProbs: ArrayLike<number>): number {
  return Math.exp(meanNll(logProbs));
}

/** Natural-log probability of `target` under softmax(logits), computed stably. */
export function logSoftmaxAt(logits: ArrayLike<number>, target: number): number {
  if (!Number.isInteger(target) || target < 0 || target >= logits.length) {
    throw new InvalidArgumentError(`target ${target} is not an index into ${logits.length} logits`);
  }
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
  return logits[target]! - max - Math.log(sum);
}

/** Cross-entropy of a uniform guess over the vocabulary, ln(V): the study's "Random" row (ln 363 = 5.89). */
export function uniformNll(vocabularySize: number): number {
  if (!Number.isInteger(vocabularySize) || vocabularySize < 1) throw new InvalidArgumentError(`vocabulary size must be a positive integer, got ${vocabularySize}`);
  return Math.log(vocabularySize);
}

// MusPy-style descriptors. They follow MusPy's definitions (salu133445/muspy, metrics.py) so numbers compare with
// published ones: time steps are ticks, a beat is a quarter note (ppq ticks), drum tracks are ignored except
// where MusPy itself counts them (the song length, and the empty-beat rate).

function pitchedNotes(seq: NoteSequence): Note[] {
  return seq.notes.filter((n) => !(seq.tracks[n.track]?.isDrum ?? false));
}

/** End of the last note of any track, drums included: MusPy's song length. */
function notesEnd(seq: NoteSequence): number {
  let end = 0;
  for (const n of seq.notes) end = Math.max(end, n.endTick);
  return end;
}

/** Highest minus lowest pitch; 0 without pitched notes. */
export function pitchRange(seq: NoteSequence): number {
  const notes = pitchedNotes(seq);
  if (notes.length === 0) return 0;
  let lo = 127;
  let hi = 0;
  for (const n of notes) {
    lo = Math.min(lo, n.pitch);
    hi = Math.max(hi, n.pitch);
  }
  return hi - lo;
}

/** Number of distinct pitches used. */
export function pitchesUsed(seq: NoteSequence): number {
  return new Set(pitchedNotes(seq).map((n) => n.pitch)).size;
}

/** Number of distinct pitch classes used. */
export function pitchClassesUsed(seq: NoteSequence): number {
  return new Set(pitchedNotes(seq).map((n) => n.pitch % 12)).size;
}

/** Ticks spent with each number of distinct sounding pitches (a piano roll, swept event by event). */
function soundingHistogram(seq: NoteSequence): Map<number, number> {
  const edges: { tick: number; pitch: number; delta: number }[] = [];
  for (const n of pitchedNotes(seq)) {
    if (n.endTick <= n.startTick) continue;
    edges.push({ tick: n.startTick, pitch: n.pitch, delta: 1 }, { tick: n.endTick, pitch: n.pitch, delta: -1 });
  }
  edges.sort((a, b) => a.tick - b.tick);
  const active = new Uint32Array(128);
  const ticksBySounding = new Map<number, number>();
  let distinct = 0;
  let last = 0;
  for (const e of edges) {
    if (e.tick > last) ticksBySounding.set(distinct, (ticksBySounding.get(distinct) ?? 0) + e.tick - last);
    last = e.tick;
    // Overlapping notes of one pitch are one piano-roll cell, as in MusPy's boolean roll.
    if (e.delta > 0 && active[e.pitch]!++ === 0) distinct++;
    if (e.delta < 0 && --active[e.pitch]! === 0) distinct--;
  }
  return ticksBySounding;
}

/** Mean number of distinct sounding pitches over the ticks where at least one sounds; NaN if none ever does. */
export function polyphony(seq: NoteSequence): number {
  let weighted = 0;
  let ticks = 0;
  for (const [count, t] of soundingHistogram(seq)) {
    if (count === 0) continue;
    weighted += count * t;
    ticks += t;
  }
  return ticks === 0 ? NaN : weighted / ticks;
}

/**
 * Fraction of all ticks (from 0 to the last note end) with more than `threshold` distinct pitches sounding.
 * MusPy's default threshold of 2 means three or more pitches. NaN for a song of zero length.
 */
export function polyphonyRate(seq: NoteSequence, threshold = 2): number {
  const length = notesEnd(seq);
  if (length < 1) return NaN;
  let ticks = 0;
  for (const [count, t] of soundingHistogram(seq)) if (count > threshold) ticks += t;
  return ticks / length;
}

const MAJOR_STEPS = [0, 2, 4, 5, 7, 9, 11];
const MODE_DEGREE: Record<KeyMode, number> = { major: 0, dorian: 1, phrygian: 2, lydian: 3, mixolydian: 4, minor: 5, locrian: 6 };

/** The 12 pitch classes as in-scale flags for a tonic and a mode (each mode a rotation of the major scale). */
export function scaleMask(tonic: number, mode: KeyMode): boolean[] {
  if (!Number.isInteger(tonic) || tonic < 0 || tonic > 11) throw new InvalidArgumentError(`tonic must be a pitch class 0..11, got ${tonic}`);
  const degree = MODE_DEGREE[mode];
  const mask = new Array<boolean>(12).fill(false);
  for (const step of MAJOR_STEPS) mask[(tonic + step - MAJOR_STEPS[degree]! + 12) % 12] = true;
  return mask;
}

/** Fraction of notes whose pitch class is in the scale of the key; NaN without pitched notes. */
export function pitchInScaleRate(seq: NoteSequence, tonic: number, mode: KeyMode): number {
  const mask = scaleMask(tonic, mode);
  const notes = pitchedNotes(seq);
  if (notes.length === 0) return NaN;
  return notes.filter((n) => mask[n.pitch % 12]).length / notes.length;
}

function entropyBits(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return NaN;
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / total) * Math.log2(c / total);
  return h;
}

/** Shannon entropy (bits) of the note pitch-class histogram; NaN without pitched notes. */
export function pitchClassEntropy(seq: NoteSequence): number {
  const counts = new Array<number>(12).fill(0);
  for (const n of pitchedNotes(seq)) counts[n.pitch % 12]!++;
  return entropyBits(counts);
}

/** Shannon entropy (bits) of the note pitch histogram; NaN without pitched notes. */
export function pitchEntropy(seq: NoteSequence): number {
  const counts = new Array<number>(128).fill(0);
  for (const n of pitchedNotes(seq)) counts[n.pitch]!++;
  return entropyBits(counts);
}

/**
 * Fraction of beats (quarter notes, from 0 to the last note end) in which no note sounds. As in MusPy, a note
 * marks every beat from the one holding its start to the one holding its end tick, inclusive, and the count of
 * beats is floor(length / ppq) + 1. NaN for a song of zero length.
 */
export function emptyBeatRate(seq: NoteSequence): number {
  const length = notesEnd(seq);
  if (length < 1) return NaN;
  const beats = Math.floor(length / seq.ppq) + 1;
  const filled = new Uint8Array(beats);
  for (const n of seq.notes) filled.fill(1, Math.floor(n.startTick / seq.ppq), Math.floor(n.endTick / seq.ppq) + 1);
  return 1 - filled.reduce((a, b) => a + b, 0) / beats;
}

export interface MusicDescriptors {
  pitchRange: number;
  pitchesUsed: number;
  pitchClassesUsed: number;
  polyphony: number;
  polyphonyRate: number;
  pitchClassEntropy: number;
  pitchEntropy: number;
  emptyBeatRate: number;
  /** In the given key, else in the song's first key signature; null when neither is known. */
  pitchInScaleRate: number | null;
}

/** All descriptors at once, for an evaluation table. */
export function describeMusic(seq: NoteSequence, key?: { tonic: number; mode: KeyMode }): MusicDescriptors {
  const k = key ?? seq.keySignatures[0];
  return {
    pitchRange: pitchRange(seq),
    pitchesUsed: pitchesUsed(seq),
    pitchClassesUsed: pitchClassesUsed(seq),
    polyphony: polyphony(seq),
    polyphonyRate: polyphonyRate(seq),
    pitchClassEntropy: pitchClassEntropy(seq),
    pitchEntropy: pitchEntropy(seq),
    emptyBeatRate: emptyBeatRate(seq),
    pitchInScaleRate: k === undefined ? null : pitchInScaleRate(seq, k.tonic, k.mode),
  };
}
