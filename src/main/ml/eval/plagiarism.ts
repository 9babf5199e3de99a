// The study's plagiarism check, made fast: longest copied run and longest common subsequence of a fragment against a whole training corpus.
import { InvalidArgumentError, StudioError } from '../../../shared/errors';
import type { NoteSequence } from '../../../shared/song';

/** A prebuilt index whose bytes are not what toBinary() writes (wrong magic, version, sizes or values). */
export class PlagiarismIndexFormatError extends StudioError {}

/** Symbols are MIDI pitches (or offset intervals), so the alphabet is fixed at 128. */
const ALPHABET = 128;
const DEFAULT_N = 6;
const DEFAULT_TOP_K = 5;
const DEFAULT_SHORTLIST = 8;
const MAGIC = 0x49505344; // 'DSPI' read as little-endian u32
const FORMAT_VERSION = 1;
const HEADER_WORDS = 8;

/**
 * The piece as one symbol per note in onset order (ties by pitch, drum tracks left out),
 * which is how the study compared songs: by what is played, not by how it is timed.
 * @throws InvalidArgumentError for a pitch outside 0..127.
 */
export function notePitchSequence(seq: NoteSequence): Uint8Array {
  const notes = seq.notes.filter((n) => !(seq.tracks[n.track]?.isDrum ?? false));
  notes.sort((a, b) => a.startTick - b.startTick || a.pitch - b.pitch);
  const out = new Uint8Array(notes.length);
  for (let i = 0; i < notes.length; i++) {
    const p = notes[i]!.pitch;
    if (!Number.isInteger(p) || p < 0 || p >= ALPHABET) {
      throw new InvalidArgumentError(`note pitch must be an integer 0..127, got ${p} (note ${i} in onset order)`);
    }
    out[i] = p;
  }
  return out;
}

/**
 * Transposition-invariant variant: successive pitch differences, clamped to -64..63 and offset by 64 so they
 * stay in the same 128-symbol alphabet (a leap of more than five octaves is as good as another for copy
 * detection). Index these instead of pitches to catch copies moved to another key.
 */
export function pitchIntervals(pitches: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(Math.max(0, pitches.length - 1));
  for (let i = 0; i < out.length; i++) {
    const d = pitches[i + 1]! - pitches[i]!;
    out[i] = Math.min(63, Math.max(-64, d)) + 64;
  }
  return out;
}

export interface CorpusPiece {
  id: string;
  name: string;
  /** Symbols 0..127, e.g. from notePitchSequence() or pitchIntervals(). */
  pitches: ArrayLike<number>;
}

export interface LongestRun {
  pieceId: string;
  name: string;
  length: number;
  /** Index of the run's first note in the query. */
  queryStart: number;
  /** Index of the run's first note in the training piece. */
  pieceStart: number;
}

export interface LcsMatch {
  pieceId: string;
  name: string;
  length: number;
  /** length / queryLength. */
  ratio: number;
}

export interface TopMatch {
  pieceId: string;
  name: string;
  /** Query n-gram positions that occur somewhere in this piece. */
  sharedNgrams: number;
  lcs: number;
}

export interface PlagiarismReport {
  queryLength: number;
  /** Longest exactly copied run of at least n notes; null when no n-gram is shared with the corpus. */
  longestRun: LongestRun | null;
  /** The piece with the longest common subsequence; null when nothing is in common. */
  lcs: LcsMatch | null;
  /** The best pieces by LCS (then shared n-grams), exact, at most topK of them. */
  topMatches: TopMatch[];
  /** How many pieces needed an exact LCS (the rest were ruled out by an upper bound). */
  piecesCompared: number;
}

export interface CheckOptions {
  /** How many pieces to report in topMatches (default 5). */
  topK?: number;
  /** Pieces with the most shared n-grams whose LCS is computed first, to set a high bar early (default 8). */
  shortlist?: number;
  /** Compute the exact LCS against every piece, without pruning (for baselines and tests). */
  exhaustive?: boolean;
}

/**
 * Bit-parallel LCS length (Allison-Dix / Hyyrö 2004) between a query, already turned into per-symbol match
 * masks, and text[start, end). One pass over the text costs ceil(m/32) word operations per text symbol, and
 * symbols absent from the query are skipped outright because they leave the bit vector unchanged.
 */
class QueryMasks {
  readonly words: number;
  readonly masks: Uint32Array;
  readonly present = new Uint8Array(ALPHABET);
  readonly counts = new Uint32Array(ALPHABET);
  /** Distinct symbols of the query, for the histogram bound. */
  readonly symbols: number[] = [];
  private readonly v: Uint32Array;

  constructor(readonly query: Uint8Array) {
    const m = query.length;
    this.words = Math.max(1, Math.ceil(m / 32));
    this.masks = new Uint32Array(ALPHABET * this.words);
    for (let i = 0; i < m; i++) {
      const c = query[i]!;
      this.masks[c * this.words + (i >>> 5)]! |= 1 << (i & 31);
      if (this.present[c] === 0) this.symbols.push(c);
      this.present[c] = 1;
      this.counts[c]!++;
    }
    this.v = new Uint32Array(this.words);
  }

  lcs(text: Uint8Array, start: number, end: number): number {
    const { words, masks, present, v } = this;
    v.fill(0xffffffff);
    for (let j = start; j < end; j++) {
      const c = text[j]!;
      if (present[c] === 0) continue;
      const base = c * words;
      let carry = 0;
      for (let k = 0; k < words; k++) {
        const x = v[k]!;
        const mk = masks[base + k]!;
        // V' = (V + (V & M)) | (V & ~M), with the addition carried across words.
        const s = x + ((x & mk) >>> 0) + carry;
        carry = s > 0xffffffff ? 1 : 0;
        v[k] = s | (x & ~mk);
      }
    }
    // The LCS length is the number of zero bits among the query's m positions.
    const m = this.query.length;
    let zeros = 0;
    for (let k = 0; k < words; k++) {
      const bits = Math.min(32, m - k * 32);
      let z = ~v[k]! >>> 0;
      if (bits < 32) z &= (1 << bits) - 1;
      zeros += popcount(z);
    }
    return zeros;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Exact LCS length of two symbol sequences (0..127), bit-parallel; O(|a|·|b|/32). */
export function lcsLength(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) return 0;
  const qa = toSymbols(a, 'first sequence');
  const tb = toSymbols(b, 'second sequence');
  // Put the shorter one in the bit vector: fewer words per step.
  return qa.length <= tb.length ? new QueryMasks(qa).lcs(tb, 0, tb.length) : new QueryMasks(tb).lcs(qa, 0, qa.length);
}

/** Textbook O(|a|·|b|) dynamic-programming LCS length: the reference and the naive baseline. */
export function lcsLengthDP(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = b.length;
  let prev = new Uint32Array(n + 1);
  let cur = new Uint32Array(n + 1);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i];
    for (let j = 0; j < n; j++) {
      cur[j + 1] = ai === b[j] ? prev[j]! + 1 : Math.max(prev[j + 1]!, cur[j]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n]!;
}

function toSymbols(xs: ArrayLike<number>, what: string): Uint8Array {
  const out = new Uint8Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (!Number.isInteger(x) || x < 0 || x >= ALPHABET) {
      throw new InvalidArgumentError(`${what}: symbols must be integers 0..127, got ${x} at index ${i}`);
    }
    out[i] = x;
  }
  return out;
}

/** FNV-style fold of the n symbols at s[i..i+n), finished with a multiply-xorshift so the top bits mix well. */
function ngramHash(s: Uint8Array, i: number, n: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < n; k++) h = Math.imul(h ^ s[i + k]!, 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

interface IndexParts {
  n: number;
  ids: string[];
  names: string[];
  /** Piece p is pitches[offsets[p], offsets[p + 1]). */
  offsets: Uint32Array;
  pitches: Uint8Array;
  tableBits: number;
  /** Bucket b's postings are postings[bucketStart[b], bucketStart[b + 1]). */
  bucketStart: Uint32Array;
  /** Global corpus positions of n-gram starts, ascending within each bucket. */
  postings: Uint32Array;
}

/**
 * An n-gram index over a training corpus for the study's plagiarism check.
 *
 * longestRun: every query n-gram is looked up (hash bucket, then verified symbol by symbol), and only seeds that
 * cannot be extended to the left are extended to the right, so the work is the number of hits plus the total
 * length of maximal copied runs. Runs shorter than n are not reported.
 *
 * lcs: why the n-gram shortlist alone is NOT safe, and what makes the answer exact anyway. LCS is a global
 * measure: a long piece that shares no n-gram with the query can still have the longest common subsequence
 * (with 300 query notes against a 5,000-note piece most query notes find a partner somewhere later on). So no
 * shortlist size can be proven sufficient. Instead the shortlist only sets the bar: its pieces (most shared
 * n-grams first) get an exact bit-parallel LCS, then every other piece is bounded from above by
 * sum over symbols c of min(count of c in query, count of c in piece), visited in descending bound order, and
 * skipped once its bound is below the topK-th best exact LCS found so far. A skipped piece therefore cannot
 * enter the top K, so the report equals brute force over all pieces (tested on random corpora).
 */
export class PlagiarismIndex {
  readonly n: number;
  private readonly ids: string[];
  private readonly names: string[];
  private readonly offsets: Uint32Array;
  private readonly pitches: Uint8Array;
  private readonly tableBits: number;
  private readonly bucketStart: Uint32Array;
  private readonly postings: Uint32Array;
  /** Per-piece symbol histograms (pieceCount x 128), for the LCS upper bound. */
  private readonly histograms: Uint32Array;

  private constructor(parts: IndexParts) {
    this.n = parts.n;
    this.ids = parts.ids;
    this.names = parts.names;
    this.offsets = parts.offsets;
    this.pitches = parts.pitches;
    this.tableBits = parts.tableBits;
    this.bucketStart = parts.bucketStart;
    this.postings = parts.postings;
    this.histograms = new Uint32Array(parts.ids.length * ALPHABET);
    for (let p = 0; p < parts.ids.length; p++) {
      const h = p * ALPHABET;
      for (let j = parts.offsets[p]!; j < parts.offsets[p + 1]!; j++) this.histograms[h + parts.pitches[j]!]!++;
    }
  }

  /** Memory the index's tables take. */
  get byteSize(): number {
    return this.offsets.byteLength + this.pitches.byteLength + this.bucketStart.byteLength + this.postings.byteLength + this.histograms.byteLength;
  }

  get pieceCount(): number {
    return this.ids.length;
  }

  /** Total number of symbols (notes) in the corpus. */
  get corpusLength(): number {
    return this.pitches.length;
  }

  /** @throws InvalidArgumentError for n outside 1..64 or a symbol outside 0..127. */
  static build(pieces: readonly CorpusPiece[], options: { n?: number } = {}): PlagiarismIndex {
    const n = options.n ?? DEFAULT_N;
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError(`n-gram length must be an integer 1..64, got ${n}`);
    const offsets = new Uint32Array(pieces.length + 1);
    for (let p = 0; p < pieces.length; p++) offsets[p + 1] = offsets[p]! + pieces[p]!.pitches.length;
    const total = offsets[pieces.length]!;
    const pitches = new Uint8Array(total);
    for (let p = 0; p < pieces.length; p++) {
      pitches.set(toSymbols(pieces[p]!.pitches, `piece ${pieces[p]!.id}`), offsets[p]!);
    }
    const numGrams = countGrams(offsets, n);
    // About two postings per bucket on average: a quarter of the memory of one per bucket, at a cost of
    // one extra verified candidate per lookup.
    const tableBits = Math.min(24, Math.max(4, Math.ceil(Math.log2(numGrams / 2 + 1))));
    const shift = 32 - tableBits;
    const buckets = new Uint32Array(numGrams);
    const bucketStart = new Uint32Array((1 << tableBits) + 1);
    let g = 0;
    for (let p = 0; p < pieces.length; p++) {
      for (let i = offsets[p]!; i + n <= offsets[p + 1]!; i++) {
        const b = ngramHash(pitches, i, n) >>> shift;
        buckets[g++] = b;
        bucketStart[b + 1]!++;
      }
    }
    for (let b = 0; b < 1 << tableBits; b++) bucketStart[b + 1]! += bucketStart[b]!;
    const fill = bucketStart.slice(0, 1 << tableBits);
    const postings = new Uint32Array(numGrams);
    g = 0;
    for (let p = 0; p < pieces.length; p++) {
      for (let i = offsets[p]!; i + n <= offsets[p + 1]!; i++) postings[fill[buckets[g++]!]!++] = i;
    }
    return new PlagiarismIndex({
      n,
      ids: pieces.map((x) => x.id),
      names: pieces.map((x) => x.name),
      offsets,
      pitches,
      tableBits,
      bucketStart,
      postings,
    });
  }

  /**
   * Compares a query (symbols 0..127, same kind as the corpus) with every training piece.
   * @throws InvalidArgumentError for a symbol outside 0..127 or a topK/shortlist below 1.
   */
  check(query: ArrayLike<number>, options: CheckOptions = {}): PlagiarismReport {
    const topK = options.topK ?? DEFAULT_TOP_K;
    const shortlistSize = options.shortlist ?? DEFAULT_SHORTLIST;
    if (!Number.isInteger(topK) || topK < 1) throw new InvalidArgumentError(`topK must be a positive integer, got ${topK}`);
    if (!Number.isInteger(shortlistSize) || shortlistSize < 0) {
      throw new InvalidArgumentError(`shortlist must be a non-negative integer, got ${shortlistSize}`);
    }
    const q = toSymbols(query, 'query');
    const m = q.length;
    const P = this.ids.length;
    if (m === 0 || P === 0) return { queryLength: m, longestRun: null, lcs: null, topMatches: [], piecesCompared: 0 };

    const { shared, run } = this.seedAndExtend(q);
    const masks = new QueryMasks(q);
    const computed = new Map<number, number>();
    // The topK best exact LCS values so far, descending; the last one is the bar a piece's bound must reach.
    const best: number[] = [];
    const compute = (p: number): void => {
      const value = masks.lcs(this.pitches, this.offsets[p]!, this.offsets[p + 1]!);
      computed.set(p, value);
      let at = best.length;
      while (at > 0 && best[at - 1]! < value) at--;
      best.splice(at, 0, value);
      if (best.length > topK) best.pop();
    };

    if (options.exhaustive === true) {
      for (let p = 0; p < P; p++) compute(p);
    } else {
      const byShared: number[] = [];
      for (let p = 0; p < P; p++) if (shared[p]! > 0) byShared.push(p);
      byShared.sort((a, b) => shared[b]! - shared[a]! || a - b);
      for (const p of byShared.slice(0, shortlistSize)) compute(p);
      const rest: { p: number; bound: number }[] = [];
      for (let p = 0; p < P; p++) if (!computed.has(p)) rest.push({ p, bound: this.lcsBound(p, masks) });
      rest.sort((a, b) => b.bound - a.bound || a.p - b.p);
      for (const { p, bound } of rest) {
        // Strictly below: a piece that could only tie might still win the tie-break on shared n-grams.
        if (best.length >= topK && bound < best[best.length - 1]!) break;
        compute(p);
      }
    }

    const ranked = [...computed.entries()]
      .filter(([p, value]) => value > 0 || shared[p]! > 0)
      .sort(([pa, a], [pb, b]) => b - a || shared[pb]! - shared[pa]! || pa - pb)
      .slice(0, topK);
    const topMatches = ranked.map(([p, value]) => ({ pieceId: this.ids[p]!, name: this.names[p]!, sharedNgrams: shared[p]!, lcs: value }));
    const first = ranked[0];
    const lcs =
      first !== undefined && first[1] > 0
        ? { pieceId: this.ids[first[0]]!, name: this.names[first[0]]!, length: first[1], ratio: first[1] / m }
        : null;
    const longestRun =
      run.length > 0
        ? { pieceId: this.ids[run.piece]!, name: this.names[run.piece]!, length: run.length, queryStart: run.queryStart, pieceStart: run.pieceStart }
        : null;
    return { queryLength: m, longestRun, lcs, topMatches, piecesCompared: computed.size };
  }

  /** Looks up every query n-gram: counts shared n-grams per piece and finds the longest maximal exact run. */
  private seedAndExtend(q: Uint8Array): { shared: Uint32Array; run: { piece: number; length: number; queryStart: number; pieceStart: number } } {
    const { n, pitches, offsets, postings, bucketStart } = this;
    const m = q.length;
    const shift = 32 - this.tableBits;
    const shared = new Uint32Array(this.ids.length);
    const lastSeen = new Int32Array(this.ids.length).fill(-1);
    const run = { piece: -1, length: 0, queryStart: 0, pieceStart: 0 };
    for (let i = 0; i + n <= m; i++) {
      const b = ngramHash(q, i, n) >>> shift;
      for (let k = bucketStart[b]!; k < bucketStart[b + 1]!; k++) {
        const pos = postings[k]!;
        let same = true;
        for (let t = 0; t < n && same; t++) same = q[i + t] === pitches[pos + t];
        if (!same) continue;
        const piece = this.pieceOf(pos);
        if (lastSeen[piece] !== i) {
          lastSeen[piece] = i;
          shared[piece]!++;
        }
        const start = offsets[piece]!;
        // Not left-maximal: the same run was already extended from the seed one step to the left.
        if (i > 0 && pos > start && q[i - 1] === pitches[pos - 1]) continue;
        const end = offsets[piece + 1]!;
        let len = n;
        while (i + len < m && pos + len < end && q[i + len] === pitches[pos + len]) len++;
        if (len > run.length) {
          run.piece = piece;
          run.length = len;
          run.queryStart = i;
          run.pieceStart = pos - start;
        }
      }
    }
    return { shared, run };
  }

  /** Upper bound on LCS(query, piece p): a common subsequence uses each symbol at most as often as either side has it. */
  private lcsBound(p: number, masks: QueryMasks): number {
    const h = p * ALPHABET;
    let bound = 0;
    for (const c of masks.symbols) bound += Math.min(masks.counts[c]!, this.histograms[h + c]!);
    return bound;
  }

  private pieceOf(pos: number): number {
    let lo = 0;
    let hi = this.ids.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.offsets[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Serializes the whole index (little-endian): an 8-word header, the ids and names as JSON, then the offsets,
   * bucket table, postings and symbols, each 4-byte aligned so fromBinary() can view them without copying.
   */
  toBinary(): Uint8Array {
    const meta = new TextEncoder().encode(JSON.stringify({ ids: this.ids, names: this.names }));
    const metaPadded = align4(meta.length);
    const words = HEADER_WORDS + metaPadded / 4 + this.offsets.length + this.bucketStart.length + this.postings.length;
    const out = new Uint8Array(words * 4 + this.pitches.length);
    const header = new Uint32Array(out.buffer, 0, HEADER_WORDS);
    header.set([MAGIC, FORMAT_VERSION, this.n, this.ids.length, this.pitches.length, this.tableBits, this.postings.length, meta.length]);
    let at = HEADER_WORDS * 4;
    out.set(meta, at);
    at += metaPadded;
    for (const part of [this.offsets, this.bucketStart, this.postings]) {
      out.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), at);
      at += part.byteLength;
    }
    out.set(this.pitches, at);
    return out;
  }

  /**
   * Loads an index written by toBinary(). The arrays are views into `bytes` when it is 4-byte aligned
   * (as a freshly read file is), so do not modify `bytes` afterwards.
   * @throws PlagiarismIndexFormatError when the bytes are not a valid index of this format version.
   */
  static fromBinary(bytes: Uint8Array): PlagiarismIndex {
    const fail = (what: string): never => {
      throw new PlagiarismIndexFormatError(`not a valid plagiarism index (${bytes.length} bytes): ${what}`);
    };
    if (bytes.length < HEADER_WORDS * 4) fail(`shorter than the ${HEADER_WORDS * 4}-byte header`);
    const data = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    const header = new Uint32Array(data.buffer, data.byteOffset, HEADER_WORDS);
    const [magic = 0, version = 0, n = 0, pieceCount = 0, total = 0, tableBits = 0, numGrams = 0, metaLength = 0] = header;
    if (magic !== MAGIC) fail(`magic 0x${magic.toString(16)} is not 0x${MAGIC.toString(16)}`);
    if (version !== FORMAT_VERSION) fail(`format version ${version}, expected ${FORMAT_VERSION}`);
    if (n < 1 || n > 64) fail(`n-gram length ${n}`);
    if (tableBits < 4 || tableBits > 24) fail(`table bits ${tableBits}`);
    const metaPadded = align4(metaLength);
    const expected = HEADER_WORDS * 4 + metaPadded + 4 * (pieceCount + 1 + (1 << tableBits) + 1 + numGrams) + total;
    if (data.length !== expected) fail(`size should be ${expected} for its header`);
    let at = HEADER_WORDS * 4;
    let meta: unknown;
    try {
      meta = JSON.parse(new TextDecoder().decode(data.subarray(at, at + metaLength)));
    } catch (err) {
      fail(`piece names are not JSON (${String(err)})`);
    }
    const { ids, names } = (meta ?? {}) as { ids?: unknown; names?: unknown };
    const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.length === pieceCount && x.every((s) => typeof s === 'string');
    if (!isStrings(ids) || !isStrings(names)) return fail(`ids and names should be ${pieceCount} strings each`);
    at += metaPadded;
    const view = (count: number): Uint32Array => {
      const arr = new Uint32Array(data.buffer, data.byteOffset + at, count);
      at += count * 4;
      return arr;
    };
    const offsets = view(pieceCount + 1);
    const bucketStart = view((1 << tableBits) + 1);
    const postings = view(numGrams);
    const pitches = data.subarray(at, at + total);
    for (let p = 0; p < pieceCount; p++) if (offsets[p + 1]! < offsets[p]!) fail(`piece offsets decrease at piece ${p}`);
    if (offsets[0] !== 0 || offsets[pieceCount] !== total) fail('piece offsets do not span the corpus');
    if (countGrams(offsets, n) !== numGrams) fail(`posting count ${numGrams} does not match the pieces`);
    for (let b = 0; b < 1 << tableBits; b++) if (bucketStart[b + 1]! < bucketStart[b]!) fail(`bucket table decreases at ${b}`);
    if (bucketStart[0] !== 0 || bucketStart[1 << tableBits] !== numGrams) fail('bucket table does not span the postings');
    for (let k = 0; k < numGrams; k++) if (postings[k]! + n > total) fail(`posting ${k} points past the corpus`);
    for (let j = 0; j < total; j++) if (pitches[j]! >= ALPHABET) fail(`symbol ${pitches[j]} at ${j} is outside 0..127`);
    return new PlagiarismIndex({ n, ids, names, offsets, pitches, tableBits, bucketStart, postings });
  }
}

function countGrams(offsets: Uint32Array, n: number): number {
  let count = 0;
  for (let p = 0; p + 1 < offsets.length; p++) count += Math.max(0, offsets[p + 1]! - offsets[p]! - n + 1);
  return count;
}

function align4(x: number): number {
  return (x + 3) & ~3;
}
