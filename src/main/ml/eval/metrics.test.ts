// Tests of the evaluation metrics against hand-computed values.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../shared/errors';
import { emptySequence, type NoteSequence } from '../../../shared/song';
import {
  corpusBleu,
  describeMusic,
  emptyBeatRate,
  logSoftmaxAt,
  meanNll,
  perplexity,
  pitchClassEntropy,
  pitchClassesUsed,
  pitchEntropy,
  pitchInScaleRate,
  pitchRange,
  pitchesUsed,
  polyphony,
  polyphonyRate,
  referenceSetBleu,
  scaleMask,
  uniformNll,
} from './metrics';

describe('corpusBleu', () => {
  it('is 1 for identical sequences', () => {
    const seqs = [
      [1, 2, 3, 4, 5, 6],
      [7, 7, 8, 9, 10],
    ];
    const r = corpusBleu(seqs, seqs.map((s) => [s]));
    expect(r.bleu).toEqual([1, 1, 1, 1]);
    expect(r.brevityPenalty).toBe(1);
  });

  it('clips repeated n-grams by the most any one reference has (Papineni et al.)', () => {
    const hyp = 'the the the the the the the'.split(' ');
    const refs = ['the cat is on the mat'.split(' '), 'there is a cat on the mat'.split(' ')];
    const r = corpusBleu([hyp], [refs], 1);
    expect(r.precisions[0]).toBeCloseTo(2 / 7, 12);
    expect(r.referenceLength).toBe(7);
    expect(r.bleu[0]).toBeCloseTo(2 / 7, 12);
  });

  it('takes cumulative geometric means and zeroes orders with no match', () => {
    const r = corpusBleu([[1, 2, 3, 4]], [[[1, 2, 3, 5]]]);
    expect(r.precisions).toEqual([3 / 4, 2 / 3, 1 / 2, 0]);
    expect(r.bleu[0]).toBeCloseTo(0.75, 12);
    expect(r.bleu[1]).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(r.bleu[2]).toBeCloseTo(Math.cbrt(0.25), 12);
    expect(r.bleu[3]).toBe(0);
  });

  it('applies the brevity penalty and sums counts over the corpus', () => {
    const short = corpusBleu([[1, 2]], [[[1, 2, 3, 4]]], 2);
    expect(short.brevityPenalty).toBeCloseTo(Math.exp(-1), 12);
    expect(short.bleu[1]).toBeCloseTo(Math.exp(-1), 12);
    const two = corpusBleu([[1, 2, 3], [4, 5]], [[[1, 2, 3]], [[6, 7]]], 1);
    expect(two.precisions[0]).toBeCloseTo(3 / 5, 12);
    expect(two.hypothesisLength).toBe(5);
  });

  it('rejects mismatched inputs', () => {
    expect(() => corpusBleu([[1]], [])).toThrow(InvalidArgumentError);
    expect(() => corpusBleu([[1]], [[]])).toThrow(/no reference/);
    expect(() => corpusBleu([[1]], [[[1]]], 0)).toThrow(/max order/);
  });
});

describe('referenceSetBleu', () => {
  it('scores each sample against the whole reference set and averages', () => {
    const refs = [
      [1, 2, 3, 4],
      [7, 7],
    ];
    expect(referenceSetBleu([[7, 7]], refs, { maxOrder: 2 })).toEqual([1, 1]);
    const plain = referenceSetBleu([[1, 2, 3, 9]], refs);
    expect(plain[1]).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(plain[3]).toBe(0);
    const smoothed = referenceSetBleu([[1, 2, 3, 9]], refs, { smoothing: 'epsilon' });
    expect(smoothed[3]).toBeCloseTo(Math.pow(0.75 * (2 / 3) * 0.5 * 0.1, 1 / 4), 12);
    const mean = referenceSetBleu([[7, 7], [1, 2, 3, 9]], refs, { maxOrder: 2 });
    expect(mean[1]).toBeCloseTo((1 + Math.sqrt(0.5)) / 2, 12);
    expect(referenceSetBleu([], refs)).toEqual([]);
    expect(() => referenceSetBleu([[1]], [])).toThrow(InvalidArgumentError);
  });
});

describe('cross-entropy helpers', () => {
  it('computes mean nats per event and perplexity', () => {
    expect(meanNll([Math.log(0.5), Math.log(0.25)])).toBeCloseTo((Math.log(2) + Math.log(4)) / 2, 12);
    expect(perplexity([Math.log(0.5), Math.log(0.25)])).toBeCloseTo(2 * Math.SQRT2, 12);
    expect(perplexity(Array(10).fill(Math.log(1 / 388)))).toBeCloseTo(388, 8);
    expect(meanNll([-Infinity, 0])).toBe(Infinity);
  });

  it('reproduces the study\'s random baseline as ln of its 363-token vocabulary', () => {
    expect(uniformNll(363)).toBeCloseTo(5.89, 2);
    expect(meanNll([logSoftmaxAt(new Array(363).fill(0.3), 17)])).toBeCloseTo(uniformNll(363), 12);
  });

  it('computes a stable log-softmax', () => {
    expect(logSoftmaxAt([0, 0, 0, 0], 2)).toBeCloseTo(-Math.log(4), 12);
    expect(logSoftmaxAt([1000, 0], 0)).toBeCloseTo(0, 12);
    expect(logSoftmaxAt([1000, 0], 1)).toBeCloseTo(-1000, 9);
    expect(() => logSoftmaxAt([0, 0], 2)).toThrow(InvalidArgumentError);
  });

  it('rejects empty or impossible inputs', () => {
    expect(() => meanNll([])).toThrow(InvalidArgumentError);
    expect(() => meanNll([-1, 0.5])).toThrow(/step 1/);
    expect(() => meanNll([NaN])).toThrow(InvalidArgumentError);
    expect(() => uniformNll(0)).toThrow(InvalidArgumentError);
  });
});

/** ppq 4: C major triad for a beat, C4+C5 for a beat, D4 for a beat, a rest, then a drum hit. */
function fixture(): NoteSequence {
  const seq = emptySequence(4);
  seq.tracks.push({ name: 'Drums', program: 0, channel: 9, isDrum: true });
  const note = (pitch: number, startTick: number, endTick: number, track = 0) => ({ pitch, velocity: 90, startTick, endTick, track });
  seq.notes = [note(60, 0, 8), note(64, 0, 4), note(67, 0, 4), note(72, 4, 8), note(62, 8, 12), note(36, 20, 22, 1)];
  return seq;
}

describe('MusPy-style descriptors', () => {
  it('counts pitches, classes and range without drums', () => {
    const seq = fixture();
    expect(pitchRange(seq)).toBe(12);
    expect(pitchesUsed(seq)).toBe(5);
    expect(pitchClassesUsed(seq)).toBe(4);
  });

  it('measures polyphony over the sounding ticks and the polyphony rate over the whole song', () => {
    const seq = fixture();
    expect(polyphony(seq)).toBeCloseTo((3 * 4 + 2 * 4 + 1 * 4) / 12, 12);
    // Length 22 ticks (the drum hit ends it); more than 2 pitches only during the first beat.
    expect(polyphonyRate(seq)).toBeCloseTo(4 / 22, 12);
    expect(polyphonyRate(seq, 1)).toBeCloseTo(8 / 22, 12);
  });

  it('counts overlapping notes of one pitch once', () => {
    const seq = emptySequence(4);
    seq.notes = [
      { pitch: 60, velocity: 90, startTick: 0, endTick: 8, track: 0 },
      { pitch: 60, velocity: 90, startTick: 4, endTick: 12, track: 0 },
    ];
    expect(polyphony(seq)).toBe(1);
  });

  it('computes entropies in bits', () => {
    const seq = fixture();
    expect(pitchClassEntropy(seq)).toBeCloseTo(-(0.4 * Math.log2(0.4) + 3 * 0.2 * Math.log2(0.2)), 12);
    expect(pitchEntropy(seq)).toBeCloseTo(Math.log2(5), 12);
  });

  it('builds every mode as a rotation of the major scale', () => {
    const cMajor = scaleMask(0, 'major');
    expect(cMajor.flatMap((b, i) => (b ? [i] : []))).toEqual([0, 2, 4, 5, 7, 9, 11]);
    expect(scaleMask(9, 'minor')).toEqual(cMajor);
    expect(scaleMask(2, 'dorian')).toEqual(cMajor);
    expect(scaleMask(4, 'phrygian')).toEqual(cMajor);
    expect(scaleMask(5, 'lydian')).toEqual(cMajor);
    expect(scaleMask(7, 'mixolydian')).toEqual(cMajor);
    expect(scaleMask(11, 'locrian')).toEqual(cMajor);
    expect(() => scaleMask(12, 'major')).toThrow(InvalidArgumentError);
  });

  it('rates pitches in a scale', () => {
    const seq = fixture();
    expect(pitchInScaleRate(seq, 0, 'major')).toBe(1);
    expect(pitchInScaleRate(seq, 2, 'major')).toBeCloseTo(3 / 5, 12);
  });

  it('counts empty beats the way MusPy does', () => {
    // 6 beats (floor(22/4)+1); notes fill beats 0-3 (a note ending on a beat marks it) and the drum beat 5.
    expect(emptyBeatRate(fixture())).toBeCloseTo(1 / 6, 12);
  });

  it('describes a song at once, with its own key or a given one, and handles an empty song', () => {
    const seq = fixture();
    expect(describeMusic(seq).pitchInScaleRate).toBeNull();
    seq.keySignatures = [{ tick: 0, tonic: 2, mode: 'major' }];
    expect(describeMusic(seq).pitchInScaleRate).toBeCloseTo(0.6, 12);
    expect(describeMusic(seq, { tonic: 0, mode: 'major' })).toMatchObject({ pitchRange: 12, pitchesUsed: 5, pitchInScaleRate: 1 });
    const empty = describeMusic(emptySequence(), { tonic: 0, mode: 'major' });
    expect(empty.pitchRange).toBe(0);
    expect(empty.pitchesUsed).toBe(0);
    expect(empty.polyphony).toBeNaN();
    expect(empty.polyphonyRate).toBeNaN();
    expect(empty.emptyBeatRate).toBeNaN();
    expect(empty.pitchClassEntropy).toBeNaN();
    expect(empty.pitchInScaleRate).toBeNaN();
  });
});
