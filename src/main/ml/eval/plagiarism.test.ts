// Tests of the plagiarism index: planted copies are found, LCS is exact, pruning equals brute force, binary round trip.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidArgumentError } from '../../../shared/errors';
import { emptySequence, type NoteSequence } from '../../../shared/song';
import {
  PlagiarismIndex,
  PlagiarismIndexFormatError,
  lcsLength,
  lcsLengthDP,
  notePitchSequence,
  pitchIntervals,
  type CorpusPiece,
} from './plagiarism';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A melody that moves by small steps, like the fixtures' tunes: many short n-grams repeat across pieces. */
function randomWalk(rand: () => number, length: number, lo = 48, hi = 84): number[] {
  const out: number[] = [];
  let p = Math.floor((lo + hi) / 2);
  for (let i = 0; i < length; i++) {
    p = Math.min(hi, Math.max(lo, p + Math.floor(rand() * 7) - 3));
    out.push(p);
  }
  return out;
}

function corpus(seed: number, count: number, minLength: number, maxLength: number): CorpusPiece[] {
  const rand = rng(seed);
  return Array.from({ length: count }, (_, i) => ({
    id: `piece-${i}`,
    name: `Piece ${i}`,
    pitches: randomWalk(rand, minLength + Math.floor(rand() * (maxLength - minLength + 1))),
  }));
}

function bruteForceBest(pieces: CorpusPiece[], query: number[]): number {
  return Math.max(0, ...pieces.map((p) => lcsLengthDP(query, p.pitches)));
}

describe('notePitchSequence', () => {
  it('orders by onset, breaks ties by pitch and leaves drums out', () => {
    const seq: NoteSequence = emptySequence();
    seq.tracks.push({ name: 'Drums', program: 0, channel: 9, isDrum: true });
    const note = (pitch: number, startTick: number, track = 0) => ({ pitch, velocity: 80, startTick, endTick: startTick + 10, track });
    seq.notes = [note(64, 480), note(60, 0), note(36, 0, 1), note(67, 480), note(55, 0), note(42, 240, 1), note(72, 960)];
    expect([...notePitchSequence(seq)]).toEqual([55, 60, 64, 67, 72]);
  });

  it('rejects a pitch outside 0..127', () => {
    const seq = emptySequence();
    seq.notes = [{ pitch: 128, velocity: 80, startTick: 0, endTick: 10, track: 0 }];
    expect(() => notePitchSequence(seq)).toThrow(InvalidArgumentError);
  });
});

describe('pitchIntervals', () => {
  it('is the same for a transposed melody and clamps huge leaps', () => {
    expect([...pitchIntervals([60, 62, 59, 59])]).toEqual([66, 61, 64]);
    expect([...pitchIntervals([65, 67, 64, 64])]).toEqual([66, 61, 64]);
    expect([...pitchIntervals([0, 127, 0])]).toEqual([127, 0]);
    expect(pitchIntervals([60]).length).toBe(0);
  });
});

describe('lcsLength', () => {
  it('equals the O(nm) dynamic program on random inputs', () => {
    const seq = (maxLength: number, alphabet: number) => fc.array(fc.integer({ min: 0, max: alphabet - 1 }), { maxLength });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 128 }).chain((k) => fc.tuple(seq(140, k), seq(140, k))), ([a, b]) => {
        expect(lcsLength(a, b)).toBe(lcsLengthDP(a, b));
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('handles word boundaries and known values', () => {
    for (const m of [31, 32, 33, 64, 65]) {
      const a = Array.from({ length: m }, (_, i) => i % 128);
      expect(lcsLength(a, a)).toBe(m);
      expect(lcsLength(a, [...a].reverse())).toBe(1);
    }
    expect(lcsLength([1, 2, 3, 4, 1], [3, 4, 1, 2, 1, 3])).toBe(3);
    expect(lcsLength([], [1, 2])).toBe(0);
  });

  it('rejects symbols outside 0..127', () => {
    expect(() => lcsLength([1, 300], [1])).toThrow(InvalidArgumentError);
    expect(() => lcsLength([1, 2.5], [1])).toThrow(/2\.5/);
  });
});

describe('PlagiarismIndex', () => {
  const pieces = corpus(1, 40, 200, 600);
  const index = PlagiarismIndex.build(pieces);

  it('finds a planted 40-note copy of piece 17 with the right positions', () => {
    const rand = rng(99);
    const copy = pieces[17]!.pitches as number[];
    const query = [...randomWalk(rand, 50, 30, 45), ...copy.slice(123, 163), ...randomWalk(rand, 50, 90, 105)];
    const report = index.check(query);
    expect(report.queryLength).toBe(140);
    expect(report.longestRun).toMatchObject({ pieceId: 'piece-17', name: 'Piece 17', length: 40, queryStart: 50, pieceStart: 123 });
    const match = report.topMatches.find((t) => t.pieceId === 'piece-17');
    expect(match?.sharedNgrams).toBeGreaterThanOrEqual(40 - index.n + 1);
    expect(match?.lcs).toBeGreaterThanOrEqual(40);
  });

  it('extends a copy blurred by noise only as far as it is exact', () => {
    const rand = rng(5);
    const copy = pieces[3]!.pitches as number[];
    const query = [...randomWalk(rand, 30), ...copy.slice(10, 70), ...randomWalk(rand, 30)];
    const run = index.check(query).longestRun!;
    expect(run.pieceId).toBe('piece-3');
    expect(run.length).toBeGreaterThanOrEqual(60);
    expect(run.queryStart).toBeLessThanOrEqual(30);
    expect(run.pieceStart - run.queryStart).toBe(10 - 30);
    expect(run.queryStart + run.length).toBeGreaterThanOrEqual(90);
  });

  it('reports only a short run for an unrelated melody', () => {
    const query = randomWalk(rng(12345), 300);
    const report = index.check(query);
    expect(report.longestRun === null || report.longestRun.length < 15).toBe(true);
    expect(report.lcs!.ratio).toBeLessThan(1);
  });

  it('gives the same LCS ranking as brute force over all pieces on random corpora', () => {
    const compared: number[] = [];
    for (let seed = 0; seed < 12; seed++) {
      const rand = rng(1000 + seed);
      // Mixed piece lengths so the n-gram shortlist and the best LCS often disagree.
      const cs = corpus(seed, 25, 5, 400 + seed * 40);
      const idx = PlagiarismIndex.build(cs, { n: 3 + (seed % 4) });
      const source = cs[seed]!.pitches as number[];
      const query = seed % 2 === 0 ? randomWalk(rand, 20 + seed * 15) : [...randomWalk(rand, 30), ...source.slice(0, 30), ...randomWalk(rand, 40)];
      const pruned = idx.check(query, { topK: 3, shortlist: 2 });
      const full = idx.check(query, { topK: 3, exhaustive: true });
      expect(pruned.lcs!.length).toBe(bruteForceBest(cs, query));
      expect(pruned.topMatches).toEqual(full.topMatches);
      expect(pruned.lcs).toEqual(full.lcs);
      expect(full.piecesCompared).toBe(25);
      compared.push(pruned.piecesCompared);
    }
    // The bound must actually prune somewhere, or this test would not exercise it.
    expect(Math.min(...compared)).toBeLessThan(25);
  });

  it('handles empty queries, empty corpora, short pieces and queries shorter than n', () => {
    expect(index.check([])).toEqual({ queryLength: 0, longestRun: null, lcs: null, topMatches: [], piecesCompared: 0 });
    const empty = PlagiarismIndex.build([]);
    expect(empty.check([60, 62, 64]).lcs).toBeNull();
    const tiny = PlagiarismIndex.build(
      [
        { id: 'a', name: 'A', pitches: [] },
        { id: 'b', name: 'B', pitches: [60, 62] },
        { id: 'c', name: 'C', pitches: [60, 62, 64, 65, 67, 69, 71] },
      ],
      { n: 4 },
    );
    const short = tiny.check([62, 64]);
    expect(short.longestRun).toBeNull();
    expect(short.lcs).toEqual({ pieceId: 'c', name: 'C', length: 2, ratio: 1 });
    const nothingShared = tiny.check([1, 2, 3, 4, 5]);
    expect(nothingShared.lcs).toBeNull();
    expect(nothingShared.topMatches).toEqual([]);
    expect(tiny.check([64, 65, 67, 69, 1]).longestRun).toEqual({ pieceId: 'c', name: 'C', length: 4, queryStart: 0, pieceStart: 2 });
  });

  it('never joins two pieces into one run', () => {
    const idx = PlagiarismIndex.build(
      [
        { id: 'a', name: 'A', pitches: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
        { id: 'b', name: 'B', pitches: [10, 11, 12, 13, 14, 15, 16] },
      ],
      { n: 4 },
    );
    expect(idx.check([7, 8, 9, 10, 11, 12, 13, 14, 15]).longestRun).toEqual({ pieceId: 'b', name: 'B', length: 6, queryStart: 3, pieceStart: 0 });
  });

  it('rejects bad symbols and options', () => {
    expect(() => PlagiarismIndex.build([{ id: 'x', name: 'X', pitches: [60, -1] }])).toThrow(/piece x/);
    expect(() => PlagiarismIndex.build([], { n: 0 })).toThrow(InvalidArgumentError);
    expect(() => index.check([60, 128])).toThrow(/128 at index 1/);
    expect(() => index.check([60], { topK: 0 })).toThrow(InvalidArgumentError);
  });

  it('finds a transposed copy through an interval index', () => {
    const intervals = PlagiarismIndex.build(pieces.map((p) => ({ ...p, pitches: pitchIntervals(p.pitches) })));
    const transposed = (pieces[8]!.pitches as number[]).slice(40, 100).map((p) => p + 5);
    const run = intervals.check(pitchIntervals(transposed)).longestRun!;
    expect(run).toMatchObject({ pieceId: 'piece-8', queryStart: 0, pieceStart: 40 });
    expect(run.length).toBeGreaterThanOrEqual(59);
  });

  it('round-trips through toBinary/fromBinary, aligned or not', () => {
    const named = PlagiarismIndex.build([{ id: 'é-1', name: 'Étude "1"', pitches: [60, 61, 62, 63, 64, 65, 66] }, ...pieces]);
    const bytes = named.toBinary();
    const query = [...(pieces[2]!.pitches as number[]).slice(0, 50), 60, 61, 62, 63, 64, 65];
    const expected = named.check(query);
    expect(PlagiarismIndex.fromBinary(bytes).check(query)).toEqual(expected);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const reloaded = PlagiarismIndex.fromBinary(shifted.subarray(1));
    expect(reloaded.check(query)).toEqual(expected);
    expect(reloaded.pieceCount).toBe(41);
    expect(reloaded.corpusLength).toBe(named.corpusLength);
  });

  it('refuses corrupt binaries with a named error', () => {
    const bytes = index.toBinary();
    expect(() => PlagiarismIndex.fromBinary(bytes.subarray(0, 10))).toThrow(PlagiarismIndexFormatError);
    expect(() => PlagiarismIndex.fromBinary(bytes.subarray(0, bytes.length - 1))).toThrow(/size should be/);
    const badMagic = bytes.slice();
    badMagic[0] = 0;
    expect(() => PlagiarismIndex.fromBinary(badMagic)).toThrow(/magic/);
    const badSymbol = bytes.slice();
    badSymbol[badSymbol.length - 1] = 200;
    expect(() => PlagiarismIndex.fromBinary(badSymbol)).toThrow(/symbol 200/);
    const badPosting = bytes.slice();
    new DataView(badPosting.buffer).setUint32(bytes.length - index.corpusLength - 4, 0xffffff00, true);
    expect(() => PlagiarismIndex.fromBinary(badPosting)).toThrow(/points past/);
  });
});
